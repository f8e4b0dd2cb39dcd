import { strict as assert } from 'node:assert';
import { aggregateResults } from '../../../../runtime/executors/aggregate';
import { testContext } from './context';

describe('executors: aggregate_results_executor', () => {
  const run = (inputs: Record<string, unknown>) => aggregateResults(inputs, testContext()) as Record<string, unknown>;

  it('collects every input key and names up to three sources', () => {
    const r = run({ a: { x: 1 }, b: [2] });
    assert.equal(r.summary, 'Aggregated 2 task result(s). from: a, b');
    assert.deepEqual(r.results, { a: { x: 1 }, b: [2] });
    assert.equal(r.result_count, 2);
    assert.ok(!Number.isNaN(Date.parse(r.timestamp as string)));
    assert.match(r.timestamp as string, /^\d{4}-\d\d-\d\dT/);
  });

  it('does not list sources beyond three, and says when there is nothing', () => {
    assert.equal(run({ a: 1, b: 2, c: 3, d: 4 }).summary, 'Aggregated 4 task result(s)');
    assert.equal(run({ a: 1, b: 2, c: 3 }).summary, 'Aggregated 3 task result(s). from: a, b, c');
    const empty = run({});
    assert.equal(empty.summary, 'No task results to aggregate');
    assert.equal(empty.result_count, 0);
  });
});
