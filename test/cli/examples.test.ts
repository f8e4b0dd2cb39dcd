// The example trees a new user meets first (examples/): the clean ones validate without a warning and
// run offline on the embedded runtime, the broken one shows every warning class, the retry example
// re-runs only its failed branch once fixed, and every clean example exports to an apflow task
// array that the core accepts when read back as an .apflow.json file.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeFile } from '../../analysis';
import { nodeEnv } from '../../analysis/node-env';
import { buildIfStale, cli, json } from './cli-helpers';

const EXAMPLES = resolve(__dirname, '../../examples');
const CLEAN = ['system-report', 'fallback', 'etl', 'retry'];
const RUNNABLE = ['system-report', 'etl'];

interface RunDoc {
  run: { status: string; trigger: string };
  tasks: { id: string; status: string; origin_type: string; error: string | null; result: unknown }[];
}

describe('examples', function () {
  this.timeout(60000);
  let dir: string;

  before(() => buildIfStale());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-examples-'));
    cpSync(EXAMPLES, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string) => `${name}.apflow.yaml`;

  for (const name of CLEAN) {
    it(`${name} validates without errors or warnings`, async () => {
      const result = await cli(['validate', file(name), '--json'], dir);
      const doc = json<{ errors: number; warnings: number }>(result);
      assert.equal(result.code, 0);
      assert.deepEqual([doc.errors, doc.warnings], [0, 0]);
    });
  }

  it('mistakes shows every warning class and refuses to run', async () => {
    const result = await cli(['validate', file('mistakes'), '--json'], dir);
    const codes = new Set(json<{ files: { diagnostics: { code: string }[] }[] }>(result).files[0].diagnostics.map((d) => d.code));
    for (const code of ['unknown-key', 'schedule-format', 'parent-ordering', 'unreachable', 'duplicate-dependency', 'runtime-field', 'long-name', 'remote-executor', 'unused-executor', 'priority-overuse', 'fallback-blocked'])
      assert.ok(codes.has(code), `examples/mistakes.apflow.yaml should show ${code}`);
    assert.equal(result.code, 1);
    const run = await cli(['run', file('mistakes'), '--json', '--no-history'], dir);
    assert.equal(run.code, 2);
    assert.equal(json<{ refused: boolean }>(run).refused, true);
  });

  for (const name of RUNNABLE) {
    it(`${name} runs to completion on the embedded runtime`, async () => {
      const result = await cli(['run', file(name), '--json', '--history', join(dir, 'h.sqlite')], dir);
      const doc = json<RunDoc>(result);
      assert.equal(doc.run.status, 'completed', result.stderr);
      assert.equal(result.code, 0);
      assert.ok(doc.tasks.every((t) => t.status === 'completed'));
    });
  }

  it('fallback completes its summary from the fallback when the primary fails', async () => {
    const result = await cli(['run', file('fallback'), '--json', '--no-history'], dir);
    const doc = json<RunDoc>(result);
    const status = Object.fromEntries(doc.tasks.map((t) => [t.id, t.status]));
    assert.deepEqual(status, { summary: 'completed', primary: 'failed', fallback: 'completed' });
    const summary = doc.tasks.find((t) => t.id === 'summary');
    assert.deepEqual(Object.keys((summary?.result as { results: object }).results), ['fallback']);
    assert.equal(doc.run.status, 'failed', 'a run with a failed task is failed (spec 3.3)');
    assert.equal(result.code, 1);
  });

  it('etl retries its flaky fetch and stores the normalised users', async () => {
    const result = await cli(['run', file('etl'), '--json', '--no-history'], dir);
    const fetch = json<{ tasks: { id: string; attempt_count: number }[] }>(result).tasks.find((t) => t.id === 'fetch');
    assert.equal(fetch?.attempt_count, 2);
    const stored = JSON.parse(readFileSync(join(dir, '.output', 'users.json'), 'utf8')) as { email: string }[];
    assert.deepEqual(
      stored.map((u) => u.email),
      ['ada@example.com', 'alan@example.com', 'grace@example.com'],
    );
  });

  it('retry fails until approved, then re-runs only the failed branch', async () => {
    const history = join(dir, 'h.sqlite');
    const first = json<RunDoc>(await cli(['run', file('retry'), '--json', '--history', history], dir));
    assert.equal(first.run.status, 'failed');
    assert.equal(first.tasks.find((t) => t.id === 'publish')?.status, 'failed');
    writeFileSync(join(dir, 'approved.flag'), '');
    const second = await cli(['retry', '--last', '--json', '--history', history], dir);
    const doc = json<RunDoc>(second);
    assert.equal(second.code, 0);
    assert.equal(doc.run.trigger, 'retry');
    const origin = Object.fromEntries(doc.tasks.map((t) => [t.id, t.origin_type]));
    assert.deepEqual(origin, { release: 'create', build: 'link', test: 'link', publish: 'create' });
  });

  for (const name of CLEAN) {
    it(`${name} exports a task array the core accepts as an .apflow.json file`, async () => {
      const out = join(dir, `${name}.exported.apflow.json`);
      const result = await cli(['export', file(name), '--out', out], dir);
      assert.equal(result.code, 0, result.stderr);
      const exported = readFileSync(out, 'utf8');
      assert.ok(Array.isArray(JSON.parse(exported)));
      const source = analyzeFile(readFileSync(join(dir, file(name)), 'utf8'), join(dir, file(name)), nodeEnv);
      // Workspace executors travel as their ids: the apflow server must provide them (spec 3.10).
      const workspaceIds = new Set(source.model.executors.map((e) => e.id));
      const errors = analyzeFile(exported, out, nodeEnv).diagnostics.filter(
        (d) => d.severity === 'error' && !(d.code === 'unknown-executor' && workspaceIds.has(d.message.match(/executor '([^']+)'/)?.[1] ?? '')),
      );
      assert.deepEqual(errors, []);
    });
  }
});
