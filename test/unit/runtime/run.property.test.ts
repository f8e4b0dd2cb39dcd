import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isLegalTransition } from '../../../runtime/lifecycle';
import { TaskRun } from '../../../runtime/run';
import type { ExecutorFn, TaskRecord } from '../../../runtime/types';
import { planOf, sleep, type FixtureTask } from './fixtures';

type Behaviour = 'ok' | 'null' | 'throw' | 'error-mapping';
type Timing = 'sync' | 'microtask' | 'timer';

interface Node {
  deps: { on: number; required: boolean }[];
  priority: number;
  behaviour: Behaviour;
  timing: Timing;
}

/** A random DAG: task k may depend only on tasks created before it; file order is then shuffled. */
const treeArb = fc
  .integer({ min: 1, max: 24 })
  .chain((n) =>
    fc.record({
      nodes: fc.tuple(
        ...Array.from({ length: n }, (_, k) =>
          fc.record({
            deps: fc.uniqueArray(fc.record({ on: fc.integer({ min: 0, max: Math.max(0, k - 1) }), required: fc.boolean() }), {
              maxLength: k === 0 ? 0 : Math.min(k, 4),
              selector: (d) => d.on,
            }),
            priority: fc.integer({ min: 0, max: 3 }),
            behaviour: fc.constantFrom<Behaviour>('ok', 'ok', 'ok', 'null', 'throw', 'error-mapping'),
            timing: fc.constantFrom<Timing>('sync', 'microtask', 'timer'),
          }),
        ),
      ),
      order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
      concurrency: fc.integer({ min: 1, max: 5 }),
      cancelAfterMs: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 3 }),
    }),
  );

function executor(node: Node): ExecutorFn {
  const value = () => {
    if (node.behaviour === 'throw') throw new Error('thrown');
    if (node.behaviour === 'error-mapping') return { error: 'returned error' };
    return node.behaviour === 'null' ? null : { v: 1 };
  };
  if (node.timing === 'sync') return value;
  if (node.timing === 'microtask') return async () => value();
  return async () => {
    await sleep(1);
    return value();
  };
}

describe('runtime: property over random trees', () => {
  it('ends every task in a legal state, in dependency order, with a consistent run status', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, async ({ nodes, order, concurrency, cancelAfterMs }) => {
        const name = (k: number) => `t${k}`;
        const fixture: FixtureTask[] = order.map((k) => ({
          id: name(k),
          priority: nodes[k].priority,
          deps: nodes[k].deps.map((d) => ({ id: name(d.on), required: d.required })),
          run: executor(nodes[k]),
        }));
        const run = new TaskRun(planOf(fixture), { concurrency, cancelGraceMs: 20 });
        let seq = 0;
        const startSeq = new Map<string, number>();
        const endSeq = new Map<string, number>();
        let running = 0;
        run.on('task-status', (e) => {
          assert.ok(isLegalTransition(e.from, e.to), `${e.task.id}: ${e.from} → ${e.to}`);
          if (e.to === 'in_progress') {
            startSeq.set(e.task.id, ++seq);
            running++;
            assert.ok(running <= concurrency, 'concurrency limit');
          } else {
            endSeq.set(e.task.id, ++seq);
            if (e.from === 'in_progress') running--;
          }
        });
        const done = run.start();
        if (cancelAfterMs !== null) setTimeout(() => run.cancel(), cancelAfterMs);
        const { run: record, tasks } = await done;
        const byName = new Map<string, TaskRecord>(tasks.map((t) => [t.id, t]));
        const cancelled = record.status === 'cancelled';

        for (const k of order) {
          const t = byName.get(name(k)) as TaskRecord;
          const node = nodes[k];
          assert.ok(['completed', 'failed', 'pending', 'cancelled'].includes(t.status), `${t.id} ended ${t.status}`);
          if (!cancelled) assert.notEqual(t.status, 'cancelled');
          if (cancelled) assert.notEqual(t.status, 'pending', 'a cancelled run leaves nothing pending');
          assert.equal(t.error !== null && t.error.length > 0, t.status === 'failed' || t.status === 'cancelled');
          const deps = node.deps.map((d) => ({ ...d, task: byName.get(name(d.on)) as TaskRecord }));
          if (t.started_at !== null) {
            for (const d of deps) {
              // Every dependency finished (or was blocked for good) before this task started.
              if (startSeq.has(d.task.id)) assert.ok((endSeq.get(d.task.id) as number) < (startSeq.get(t.id) as number), `${d.task.id} before ${t.id}`);
              if (d.required) assert.equal(d.task.status, 'completed', `${t.id} started although ${d.task.id} did not complete`);
            }
            if (!cancelled || t.status !== 'cancelled') {
              const expected = node.behaviour === 'ok' || node.behaviour === 'null' ? 'completed' : 'failed';
              assert.equal(t.status, expected, `${t.id} behaviour ${node.behaviour}`);
            }
          }
          if (t.status === 'pending') {
            const blocking = deps.find((d) => d.required && d.task.status !== 'completed');
            assert.ok(blocking, `${t.id} pending without a blocking dependency`);
            const origin = blocking.task.status === 'pending' ? blocking.task.blocked_by : blocking.task.id;
            assert.equal(t.blocked_by, origin);
          } else {
            assert.equal(t.blocked_by, null);
          }
          if (!cancelled && t.status === 'completed') assert.ok(t.started_at !== null);
        }
        const all = tasks.map((t) => t.status);
        if (cancelled) assert.equal(cancelAfterMs !== null, true);
        else assert.equal(record.status, all.every((s) => s === 'completed') ? 'completed' : 'failed');
        assert.equal(running, 0);
      }),
      { numRuns: 150 },
    );
  });
});
