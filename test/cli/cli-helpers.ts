// Runs the built CLI (dist/cli.js) the way users and CI do, in a scratch folder with a few trees.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
export const CLI = join(root, 'dist', 'cli.js');

/** Builds the bundle when a source is newer (as `npm test` does in its pretest step). */
export function buildIfStale(): void {
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], { stdio: 'inherit' });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  /** Resolves when the CLI has exited. */
  done: Promise<CliResult>;
  pid: number | undefined;
  kill(signal: NodeJS.Signals): void;
  /** Resolves once stderr contains `text`. */
  stderrIncludes(text: string): Promise<void>;
}

/** Runs the CLI; with `input`, that is its whole standard input (`validate -`). */
export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, input?: string | Buffer): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  if (input !== undefined) child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of waiting.filter((x) => stderr.includes(x.text))) w.resolve();
  });
  return {
    done: new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr }))),
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    stderrIncludes: (text) => (stderr.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ text, resolve }))),
  };
}

export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, input?: string | Buffer): Promise<CliResult> {
  return startCli(args, cwd, env, input).done;
}

/** Each `validate` call is refused as a usage mistake: exit 2, nothing on stdout, exactly `message` on stderr. */
export async function expectValidateUsageErrors(cwd: string, cases: readonly (readonly [readonly string[], string])[]): Promise<void> {
  for (const [args, message] of cases) {
    const r = await cli(['validate', ...args], cwd, {}, '');
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, `apflow-yaml validate: ${message}\n`);
    assert.equal(r.stdout, '');
  }
}

/** The JSON document a command printed on stdout. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

export const EXECUTORS = `
const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); }, { once: true });
});
export async function ok(inputs, ctx) { await sleep(Number(inputs.sleep_ms ?? 0), ctx.signal); return { [\`out_\${ctx.task.id}\`]: ctx.task.id }; }
export async function fail(inputs) { throw new Error(inputs.message ?? 'boom'); }
export async function slow(inputs, ctx) { await sleep(60000, ctx.signal); }
export function stubborn() { return new Promise(() => {}); }
`;

/** A scratch folder holding `exec.mjs` and the given files. */
export function workspace(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'apflow-cli-'));
  writeFileSync(join(dir, 'exec.mjs'), EXECUTORS);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const DECLARATIONS = `executors:
  ok: { module: ./exec.mjs, export: ok }
  fail: { module: ./exec.mjs, export: fail }
  slow: { module: ./exec.mjs, export: slow }
  stubborn: { module: ./exec.mjs, export: stubborn }
`;
