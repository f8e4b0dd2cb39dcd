// Fixture trees for the language-server tests, and a temporary workspace that holds them on disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileUriOf } from './lsp-client';

/** The complete example of spec 1.6. */
export const SPEC_EXAMPLE = `version: 1
description: Nightly system report
executors:
  format_report:
    module: ./executors/format-report.mjs
    input_schema: { type: object }
tasks:
  - id: report
    name: Build report
    schemas: { method: aggregate_results_executor }
    dependencies: [cpu, memory, disk]
  - id: cpu
    name: CPU info
    parent_id: report
    priority: 1
    schemas: { method: system_info_executor }
    inputs: { resource: cpu }
  - id: memory
    name: Memory info
    parent_id: report
    schemas: { method: system_info_executor }
    inputs: { resource: memory }
  - id: disk
    name: Disk usage
    parent_id: report
    schemas: { method: command_executor }
    inputs: { command: "df -h ." }
    timeout: 10
    max_attempts: 2
  - id: publish
    name: Format report
    parent_id: report
    schemas: { method: format_report }
    dependencies:
      - { id: report, required: true }
`;

/** A chain written in block style: root ← load ← parse ← fetch, with one reference by name. */
export const CHAIN = `tasks:
  - id: root
    name: Root
    schemas:
      method: aggregate_results_executor
    dependencies:
      - load
  - id: load
    name: Load rows
    parent_id: root
    schemas:
      method: command_executor
    inputs:
      command: "echo load"
    dependencies:
      - parse
  - id: parse
    name: Parse rows
    parent_id: root
    schemas:
      method: command_executor
    inputs:
      command: "echo parse"
    dependencies:
      - Fetch rows
  - id: fetch
    name: Fetch rows
    parent_id: root
    priority: 0
    schemas:
      method: rest_executor
    inputs:
      url: "http://127.0.0.1:9/rows"
`;

export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'apflow-lsp-'));

  path(relative: string): string {
    return join(this.dir, relative);
  }

  uri(relative: string): string {
    return fileUriOf(this.path(relative));
  }

  write(relative: string, text: string): string {
    const path = this.path(relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
