// aggregate_results_executor (spec 5.1): after the merge, each dependency's result sits under its id.
import type { ExecutorFn } from '../types';

export const aggregateResults: ExecutorFn = (inputs) => {
  const keys = Object.keys(inputs);
  const n = keys.length;
  const summary = n === 0 ? 'No task results to aggregate' : `Aggregated ${n} task result(s)${n <= 3 ? `. from: ${keys.join(', ')}` : ''}`;
  return { summary, timestamp: new Date().toISOString(), results: { ...inputs }, result_count: n };
};
