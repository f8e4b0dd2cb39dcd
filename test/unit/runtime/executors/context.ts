// A stand-in for the context the runtime gives executors, recording what they log.
import type { ExecutorContext, TaskView } from '../../../../runtime/types';

export function testContext(signal: AbortSignal = new AbortController().signal): ExecutorContext & { logs: string[] } {
  const logs: string[] = [];
  return {
    task: { id: 'test-task' } as TaskView,
    signal,
    logs,
    log: (text: string) => logs.push(text),
    progress: () => undefined,
  };
}
