// `npm run test:acceptance`: the acceptance trees of test/fixtures/acceptance (the spec's required
// outcomes, README.md there) through the built CLI, one test per case, each in a fresh copy of that
// folder as the CLI's working directory. APFLOW_ACCEPTANCE_ONLY=NAME runs one case.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildIfStale, startCli, type CliResult } from '../cli/cli-helpers';
import { checkRun, checkValidate, stepsOf, type Expectation, type RunOutput, type Step } from './expectations';

const CASES = resolve(__dirname, '..', 'fixtures', 'acceptance');
const TREE = /\.apflow\.(ya?ml|json)$/;
/** A CLI step still running after this long is killed, and its case fails. */
const STEP_LIMIT_MS = 60000;

interface Case {
  name: string;
  tree: string;
  expectation: Expectation;
}

function cases(): Case[] {
  const only = process.env.APFLOW_ACCEPTANCE_ONLY;
  return readdirSync(CASES)
    .filter((file) => TREE.test(file))
    .map((tree) => ({ name: tree.replace(TREE, ''), tree }))
    .filter(({ name }) => existsSync(join(CASES, `${name}.expect.json`)) && (!only || name === only))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ ...c, expectation: JSON.parse(readFileSync(join(CASES, `${c.name}.expect.json`), 'utf8')) as Expectation }));
}

async function runCli(args: string[], signal: Step['signal'], work: string): Promise<CliResult> {
  const run = startCli(args, work);
  const timers = [setTimeout(() => run.kill('SIGKILL'), STEP_LIMIT_MS)];
  if (signal) timers.push(setTimeout(() => run.kill(signal.name), signal.after_ms));
  const result = await run.done;
  for (const t of timers) clearTimeout(t);
  return result;
}

/** Does what one step says, then lists what differs from what it expects. */
async function checkStep(step: Step, work: string, fill: (text: string) => string): Promise<string[]> {
  if (step.touch) writeFileSync(join(work, step.touch), '');
  if (step.write) writeFileSync(join(work, fill(step.write.path)), step.write.content);
  const problems: string[] = [];
  if (step.exists_prefix) {
    const path = join(work, fill(step.exists_prefix));
    const prefix = path.slice(dirname(path).length + 1);
    if (!existsSync(dirname(path)) || !readdirSync(dirname(path)).some((f) => f.startsWith(prefix))) problems.push(`no file starts with ${step.exists_prefix}`);
  }
  if (!step.cli) return problems;
  const r = await runCli(step.cli.map(fill), step.signal, work);
  if (step.exit !== undefined && r.code !== step.exit) problems.push(`exit status ${r.code ?? r.signal}, want ${step.exit}; stderr: ${r.stderr.slice(-400)}`);
  if (step.stderr_contains && !r.stderr.includes(step.stderr_contains)) problems.push(`stderr lacks "${step.stderr_contains}"`);
  if (!step.validate && !step.expect) return problems;
  let output: unknown;
  try {
    output = JSON.parse(r.stdout);
  } catch {
    return [...problems, `stdout is not one JSON document: ${r.stdout.slice(0, 300)}`];
  }
  if (step.validate) problems.push(...checkValidate(step.validate, output as Parameters<typeof checkValidate>[1]));
  if (step.expect) problems.push(...checkRun(step.expect, output as RunOutput));
  return problems;
}

async function problemsOf(c: Case): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'apflow-acceptance-'));
  cpSync(CASES, work, { recursive: true });
  const history = join(work, '.history', 'h.sqlite');
  const fill = (text: string) => text.replaceAll('{file}', c.tree).replaceAll('{history}', history);
  const started = Date.now();
  const problems: string[] = [];
  try {
    const steps = stepsOf(c.expectation);
    for (const [i, step] of steps.entries()) {
      const where = steps.length > 1 ? `step ${i + 1}: ` : '';
      problems.push(...(await checkStep(step, work, fill)).map((p) => where + p));
    }
    const limit = c.expectation.kind === 'validate' ? undefined : c.expectation.max_seconds;
    const seconds = (Date.now() - started) / 1000;
    if (limit !== undefined && seconds > limit) problems.push(`took ${seconds.toFixed(1)} s, more than ${limit} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return problems;
}

describe('acceptance trees (test/fixtures/acceptance)', function () {
  this.timeout(STEP_LIMIT_MS * 3);
  before(buildIfStale);

  for (const c of cases()) {
    it(`${c.name} (${c.expectation.kind})`, async () => {
      const problems = await problemsOf(c);
      assert.deepEqual(problems, [], `${c.name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    });
  }
});
