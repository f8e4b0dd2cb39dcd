// Fixture trees for the language-server tests, and a temporary workspace that holds them on disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileUriOf, LspClient } from './lsp-client';

export { SPEC_EXAMPLE } from '../fixtures/spec-example';

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

/**
 * A server started before a describe block's tests and a scratch workspace for them, both gone
 * after it. Read `client` and `ws` inside the tests (they are set by the `before` hook).
 */
export function startedServer(options?: Parameters<typeof LspClient.start>[0]): { client: LspClient; ws: Workspace } {
  const server = {} as { client: LspClient; ws: Workspace };
  before(async () => {
    server.ws = new Workspace();
    server.client = await LspClient.start(options);
  });
  after(async () => {
    await server.client.stop();
    server.ws.remove();
  });
  return server;
}
