// Results are stored once (issue 10): along a chain of aggregates every task's inputs and result hold
// everything upstream, so copying them made a 10,000-task chain a 558 MB history. The stored cells now
// refer to another task's result as { "$result_of": id }; reading the history back resolves them.
import { strict as assert } from 'node:assert';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlJs } from '../../runtime/history/sqljs';
import { buildIfStale, cli, json, workspace } from './cli-helpers';

const CHAIN = 10_000;

function chain(n: number): string {
  const lines = ['tasks:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  - id: c${i}`, `    name: C${i}`, '    schemas: { method: aggregate_results_executor }');
    if (i > 0) lines.push('    parent_id: c0');
    if (i < n - 1) lines.push(`    dependencies: [c${i + 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

interface RunDoc {
  run: { id: string; status: string };
  tasks: { id: string; status: string; inputs: Record<string, unknown>; result: Record<string, unknown> | null; origin_type: string }[];
}

describe('CLI: each result is stored once (issue 10)', function () {
  this.timeout(60000);
  let ws: ReturnType<typeof workspace>;
  before(buildIfStale);
  beforeEach(() => (ws = workspace({ 'chain.apflow.yaml': chain(CHAIN) })));
  afterEach(() => ws.cleanup());

  it(`keeps the history of a ${CHAIN.toLocaleString('en')}-task chain of aggregates small: its cells refer to upstream results`, async () => {
    const r = await cli(['run', 'chain.apflow.yaml'], ws.dir);
    assert.equal(r.code, 0, r.stderr.slice(0, 2000));
    const path = join(ws.dir, '.apflow', 'history.sqlite');
    const size = statSync(path).size;
    assert.ok(size <= 20 * 1024 * 1024, `history of ${(size / 1024 / 1024).toFixed(1)} MB`);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(path));
    const [[inputs, result]] = db.exec("SELECT inputs, result FROM tasks WHERE id = 'c0'")[0].values as string[][];
    db.close();
    assert.deepEqual(JSON.parse(inputs), { c1: { $result_of: 'c1' } });
    const stored = JSON.parse(result) as { results: unknown; result_count: number };
    assert.deepEqual(stored.results, { c1: { $result_of: 'c1' } });
    assert.equal(stored.result_count, 1, "the task's own result is stored in full");
  });

  it('hands a retried run the values behind the references, never the references', async () => {
    writeFileSync(
      join(ws.dir, 'probe.mjs'),
      `export function probe(inputs) { if (process.env.PROBE_FAIL) throw new Error('not yet'); return { saw: JSON.stringify(inputs) }; }\n`,
    );
    writeFileSync(
      join(ws.dir, 'retry.apflow.yaml'),
      `executors:\n  probe: { module: ./probe.mjs, export: probe }\ntasks:\n  - id: top\n    name: Top\n    schemas: { method: probe }\n    dependencies: [mid]\n  - id: mid\n    name: Mid\n    parent_id: top\n    schemas: { method: aggregate_results_executor }\n    dependencies: [leaf]\n  - id: leaf\n    name: Leaf\n    parent_id: top\n    schemas: { method: command_executor }\n    inputs: { command: "echo leaf-output" }\n`,
    );
    const failed = await cli(['run', 'retry.apflow.yaml', '--json'], ws.dir, { PROBE_FAIL: '1' });
    assert.equal(failed.code, 1);
    const shown = json<RunDoc>(await cli(['show', json<RunDoc>(failed).run.id, '--json'], ws.dir));
    const mid = shown.tasks.find((t) => t.id === 'mid')?.result as { results: { leaf: { stdout: string } } };
    assert.equal(mid.results.leaf.stdout, 'leaf-output', 'show --json prints the values behind the references, as run --json did');
    const retried = json<RunDoc>(await cli(['retry', '--last', '--json'], ws.dir));
    const byId = Object.fromEntries(retried.tasks.map((t) => [t.id, t]));
    assert.equal(byId.mid.origin_type, 'link', 'mid is carried over, with its stored references');
    assert.equal(byId.top.status, 'completed');
    const saw = JSON.parse(String(byId.top.result?.saw)) as { results: { leaf: { stdout: string } } };
    assert.equal(saw.results.leaf.stdout, 'leaf-output', 'top received the value of leaf through the carried mid');
  });
});
