import { strict as assert } from 'node:assert';
import { mergeInputs as merge } from '../../../runtime/merge';
import { TaskRun } from '../../../runtime/run';
import { byId, planOf } from './fixtures';

// The merged inputs alone; what each dependency supplied is checked on its own below.
const mergeInputs = (...args: Parameters<typeof merge>) => merge(...args).inputs;

describe('runtime: dependency merge (spec 3.4)', () => {
  it('copies the keys of a mapping result, later dependencies overwriting own inputs and earlier ones', () => {
    const merged = mergeInputs({ shared: 'mine', z: 3 }, [
      { id: 'a', result: { x: 1, shared: 'A' } },
      { id: 'b', result: { shared: 'B' } },
    ], 'ok');
    assert.deepEqual(merged, { shared: 'B', z: 3, x: 1 });
  });

  it('unwraps `result.result` and ignores the other keys of that mapping', () => {
    assert.deepEqual(mergeInputs({}, [{ id: 'b', result: { result: { y: 2 }, ignored: true } }], 'ok'), { y: 2 });
  });

  it('stores a non-mapping value under the dependency id', () => {
    const merged = mergeInputs({}, [
      { id: 'list', result: [1, 2] },
      { id: 'text', result: 'hi' },
      { id: 'nothing', result: null },
      { id: 'wrapped', result: { result: 5 } },
    ], 'ok');
    assert.deepEqual(merged, { list: [1, 2], text: 'hi', nothing: null, wrapped: 5 });
  });

  it('keys every dependency by id for aggregate_results_executor', () => {
    const merged = mergeInputs({ own: 1 }, [{ id: 'a', result: { x: 1 } }, { id: 'b', result: { result: { y: 2 } } }], 'aggregate_results_executor');
    assert.deepEqual(merged, { own: 1, a: { x: 1 }, b: { y: 2 } });
  });

  it('does not modify the task’s own inputs', () => {
    const own = { a: 1 };
    mergeInputs(own, [{ id: 'd', result: { a: 2 } }], 'ok');
    assert.deepEqual(own, { a: 1 });
  });

  it('says which inputs each dependency supplied: a key written twice belongs to the later dependency', () => {
    const { from } = merge({ shared: 'mine', z: 3 }, [
      { id: 'a', result: { x: 1, shared: 'A' } },
      { id: 'b', result: { shared: 'B' } },
      { id: 'c', result: { result: 'text' } },
      { id: 'd', result: {} },
    ], 'ok');
    assert.deepEqual(from, [{ task: 'a', keys: ['x'] }, { task: 'b', keys: ['shared'] }, { task: 'c', keys: ['c'] }]);
    assert.deepEqual(merge({ a: 1 }, [], 'ok').from, []);
  });

  it('merges only completed dependencies, in listed order, and records the merged inputs', async () => {
    const plan = planOf([
      { id: 'd', inputs: { shared: 'mine' }, deps: [{ id: 'c', required: false }, 'a', 'b'], run: (inputs) => ({ saw: inputs }) },
      { id: 'a', run: () => ({ shared: 'A', x: 1 }) },
      { id: 'b', run: () => ({ shared: 'B' }) },
      { id: 'c', run: () => Promise.reject(new Error('no')) },
    ]);
    const { tasks } = await new TaskRun(plan).start();
    const d = byId(tasks).d;
    assert.deepEqual(d.inputs, { shared: 'B', x: 1 });
    assert.deepEqual(d.result, { saw: { shared: 'B', x: 1 } });
    assert.deepEqual(d.merged_from, [{ task: 'a', keys: ['x'] }, { task: 'b', keys: ['shared'] }]);
    assert.equal(byId(tasks).a.merged_from, undefined, 'a task without dependencies has no merge to record');
  });
});
