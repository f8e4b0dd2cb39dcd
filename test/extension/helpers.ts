// Shared by the extension-host suites: the extension's test API, the fixture workspace, waiting.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import type { RunEntry } from '../../client/runs';

export const EXTENSION_ID = 'apflow-community.apflow-vscode';

export function extension(): vscode.Extension<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

export async function api(): Promise<TestApi> {
  return extension().activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace open');
  return folder.uri.fsPath;
}

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.file(join(workspaceDir(), name));
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixture(name));
  return vscode.window.showTextDocument(document);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15000, everyMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(everyMs);
  }
}

export async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 1000)) ?? [];
}

/** The extension's own lenses (the language server's static `N dependents` lenses are left out). */
export async function runLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await lenses(uri)).filter((l) => (l.command?.command.startsWith('apflow.') && l.command.command !== 'apflow.showReferences') || l.command?.command === 'workbench.trust.manage');
}

export async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  return (await runLenses(uri)).map((l) => l.command?.title ?? '');
}

export async function lensNamed(uri: vscode.Uri, title: string | RegExp): Promise<vscode.CodeLens | undefined> {
  return (await runLenses(uri)).find((l) => (typeof title === 'string' ? l.command?.title === title : title.test(l.command?.title ?? '')));
}

/** Runs a lens's command as a click would. */
export async function click(lens: vscode.CodeLens): Promise<unknown> {
  assert.ok(lens.command, 'the lens has no command');
  return vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
}

export async function runFinished(entry: RunEntry, timeoutMs = 30000): Promise<RunEntry> {
  return waitFor(`run ${entry.run.id} to finish`, () => (entry.live === null ? entry : undefined), timeoutMs);
}

/** A root that aggregates n-1 children; the children form 9 chains (real dependencies, real merges). */
export function chainTree(n: number, description: string): string {
  const lines = ['version: 1', `description: ${description}`, 'executors:', '  ok: { module: ./exec.mjs, export: ok }', 'tasks:'];
  const heads: string[] = [];
  const children: string[] = [];
  const pad = String(n).length;
  for (let i = 1; i < n; i++) {
    const id = `t${String(i).padStart(pad, '0')}`;
    const chain = (i - 1) % 9;
    const previous = i > 9 ? `t${String(i - 9).padStart(pad, '0')}` : null;
    if (i > n - 10) heads.push(id);
    children.push(`  - id: ${id}`, `    name: Task ${i} of chain ${chain}`, '    parent_id: root', '    schemas: { method: ok }', ...(previous ? [`    dependencies: [${previous}]`] : []));
  }
  lines.push('  - id: root', '    name: Root', '    schemas: { method: aggregate_results_executor }', `    dependencies: [${heads.join(', ')}]`, ...children);
  return `${lines.join('\n')}\n`;
}
