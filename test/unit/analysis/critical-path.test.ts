// The critical path (analysis/features/critical-path.ts): the longest dependency chain by duration,
// or by task count before any run, with cycles and bad references left off.
import { strict as assert } from 'node:assert';
import { criticalPath, type PathTask } from '../../../analysis/features/critical-path';

const task = (dependencies: number[], durationMs?: number | null): PathTask => ({ dependencies, durationMs });

describe('analysis: critical path', () => {
  it('is empty for no tasks', () => {
    assert.deepEqual(criticalPath([]), { tasks: [], total: 0, unit: 'tasks' });
  });

  it('counts tasks when no task has a duration, and follows the longest chain', () => {
    // 0 ← 1 ← 2 ← 3, and 0 ← 4: the chain 0 1 2 3 is longest.
    const result = criticalPath([task([]), task([0]), task([1]), task([2]), task([0])]);
    assert.deepEqual(result, { tasks: [0, 1, 2, 3], total: 4, unit: 'tasks' });
  });

  it('weighs by duration when durations are known, so a short chain of slow tasks wins', () => {
    // a(10) ← b(10) ← c(10) = 30 ms; a(10) ← d(500) = 510 ms.
    const result = criticalPath([task([], 10), task([0], 10), task([1], 10), task([0], 500)]);
    assert.deepEqual(result, { tasks: [0, 3], total: 510, unit: 'ms' });
  });

  it('counts a task without a duration as 0 ms once any task has one', () => {
    const result = criticalPath([task([], 100), task([0]), task([1], 5)]);
    assert.deepEqual(result, { tasks: [0, 1, 2], total: 105, unit: 'ms' });
  });

  it('takes the longest dependency of a task that joins several (a fan-in)', () => {
    const result = criticalPath([task([], 5), task([], 50), task([], 20), task([0, 1, 2], 1)]);
    assert.deepEqual(result.tasks, [1, 3]);
    assert.equal(result.total, 51);
  });

  it('leaves tasks on a cycle, and those depending on one, off the path', () => {
    // 1 ⇄ 2 is a cycle, 3 depends on it: none of them can start; 0 ← 4 is the only real chain.
    const result = criticalPath([task([]), task([2]), task([1]), task([2]), task([0])]);
    assert.deepEqual(result, { tasks: [0, 4], total: 2, unit: 'tasks' });
  });

  it('is empty when every task is on a cycle', () => {
    assert.deepEqual(criticalPath([task([1]), task([0])]).tasks, []);
  });

  it('ignores self-dependencies, repeated entries and indexes that name no task', () => {
    const result = criticalPath([task([0, -1, 7]), task([0, 0, 1, 2.5])]);
    assert.deepEqual(result, { tasks: [0, 1], total: 2, unit: 'tasks' });
  });

  it('breaks ties by file order, the same way every time', () => {
    // Two chains of equal length (0 ← 2, 1 ← 3), and a task that joins two equal chains.
    assert.deepEqual(criticalPath([task([]), task([]), task([0]), task([1])]).tasks, [0, 2]);
    assert.deepEqual(criticalPath([task([]), task([]), task([1, 0])]).tasks, [0, 2]);
  });

  it('handles a 100,000-task chain without deep recursion', () => {
    const chain = Array.from({ length: 100_000 }, (_, i) => task(i === 0 ? [] : [i - 1]));
    const result = criticalPath(chain);
    assert.equal(result.total, 100_000);
    assert.equal(result.tasks[0], 0);
    assert.equal(result.tasks.at(-1), 99_999);
  });
});
