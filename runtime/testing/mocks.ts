// A case's mocks as stand-ins for executors: by task id first, then by `executor:ID`. A stand-in
// returns the mock's result (which the run merges into dependents like a real result) or throws its
// `fail`, after `delay_ms`; the executor it replaces is never loaded or called.
import type { MockSpec } from '../../analysis/testing';
import type { ExecutorContext, ExecutorFn } from '../types';

export class CaseMocks {
  private readonly byTask = new Map<string, ExecutorFn>();
  private readonly byExecutor = new Map<string, ExecutorFn>();

  constructor(mocks: readonly MockSpec[]) {
    for (const mock of mocks) (mock.kind === 'task' ? this.byTask : this.byExecutor).set(mock.id, standIn(mock));
  }

  /** The stand-in of a task (as the analysis or a plan describes it), or undefined when it runs for real. */
  forTask(task: { id: string | null; executor: string | null }): ExecutorFn | undefined {
    return (task.id !== null ? this.byTask.get(task.id) : undefined) ?? (task.executor !== null ? this.byExecutor.get(task.executor) : undefined);
  }
}

function standIn(mock: MockSpec): ExecutorFn {
  const settle = () => {
    if (mock.fail !== null) throw new Error(mock.fail);
    return mock.result;
  };
  if (mock.delayMs === 0) return settle;
  return (_inputs, context) => delay(mock.delayMs, context).then(settle);
}

/** Waits, unless the run is cancelled or the task times out first (then rejects with the reason). */
function delay(ms: number, context: ExecutorContext): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    context.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(context.signal.reason instanceof Error ? context.signal.reason : new Error('aborted'));
    });
  });
}
