// Workspace executors cannot outlive their deadline (issue 10): a synchronous executor that spins, and
// an async one that ignores its signal, both fail at their `timeout` and leave nothing running.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, cli, json, startCli, workspace } from './cli-helpers';

const MODULE = `
export function spin() { const end = Date.now() + 8000; while (Date.now() < end); return { spun: true }; }
export function ignore() { return new Promise((resolve) => setTimeout(() => resolve({ late: true }), 20000)); }
`;
const tree = (method: string) => `executors:
  ${method}: { module: ./deadline.mjs, export: ${method} }
tasks:
  - id: t
    name: T
    schemas: { method: ${method} }
    timeout: 1
`;

interface RunDoc {
  run: { status: string };
  tasks: { id: string; status: string; error: string | null; started_at: string; completed_at: string }[];
}

describe('CLI: workspace executors meet their timeout (issue 10)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  before(buildIfStale);
  beforeEach(() => {
    ws = workspace({ 'spin.apflow.yaml': tree('spin'), 'ignore.apflow.yaml': tree('ignore') });
    writeFileSync(join(ws.dir, 'deadline.mjs'), MODULE);
  });
  afterEach(() => ws.cleanup());

  for (const [method, what] of [
    ['spin', 'a synchronous executor spinning for 8 s'],
    ['ignore', 'an async executor that ignores its signal for 20 s'],
  ] as const) {
    it(`fails ${what} at its 1 s timeout, and the CLI exits soon after`, async () => {
      const started = Date.now();
      const r = await cli(['run', `${method}.apflow.yaml`, '--json'], ws.dir);
      const exitedAfter = Date.now() - started;
      assert.equal(r.code, 1, r.stderr);
      const [task] = json<RunDoc>(r).tasks;
      assert.equal(task.status, 'failed');
      assert.equal(task.error, 'Timed out after 1 s');
      const ranFor = Date.parse(task.completed_at) - Date.parse(task.started_at);
      assert.ok(ranFor < 2000, `the task ended ${ranFor} ms after it started`);
      assert.ok(exitedAfter < 7000, `the CLI exited ${exitedAfter} ms after it started`);
    });
  }

  it('does not stay alive for an executor that ignores its cancellation (Ctrl+C)', async () => {
    writeFileSync(join(ws.dir, 'cancel.apflow.yaml'), tree('ignore').replace('    timeout: 1\n', ''));
    const run = startCli(['run', 'cancel.apflow.yaml', '--json'], ws.dir);
    await run.stderrIncludes('t in_progress');
    const interrupted = Date.now();
    run.kill('SIGINT');
    const r = await run.done;
    const exitedAfter = Date.now() - interrupted;
    assert.equal(r.code, 1, r.stderr);
    assert.equal(json<RunDoc>(r).tasks[0].status, 'cancelled');
    // The run waits out its 5 s grace period for the executor, then nothing may hold the process.
    assert.ok(exitedAfter < 8000, `the CLI exited ${exitedAfter} ms after Ctrl+C`);
  });
});
