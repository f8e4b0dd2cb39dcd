// The executors the embedded runtime runs itself (spec 5.1).
import type { ExecutorFn } from '../types';
import { aggregateResults } from './aggregate';
import { commandExecutor } from './command';
import type { ExecutorHost } from './host';
import { restExecutor } from './rest';
import { systemInfo } from './system-info';

export function builtinExecutors(host: ExecutorHost): ReadonlyMap<string, ExecutorFn> {
  return new Map<string, ExecutorFn>([
    ['aggregate_results_executor', aggregateResults],
    ['system_info_executor', systemInfo(host)],
    ['command_executor', commandExecutor(host)],
    ['rest_executor', restExecutor(host)],
  ]);
}
