// The run's event stream (spec 3.8). Every view — the CLI's progress, the editor's tree, lenses and
// decorations, the history recorder — listens to these; nobody polls. Records in payloads are the
// run's live objects: listeners read them and must copy what they keep.
import type { RunRecord, TaskRecord, TaskStatus } from './types';

interface TaskEvent {
  run: RunRecord;
  task: TaskRecord;
  /** Index of the task in the run's task list (file order). */
  index: number;
  at: number;
}

export interface RunEventMap {
  'run-started': { run: RunRecord; tasks: readonly TaskRecord[] };
  'task-status': TaskEvent & { from: TaskStatus; to: TaskStatus };
  /** Not a transition: the task stays pending, now with `blocked_by` set (spec 3.3). */
  'task-blocked': TaskEvent & { blockedBy: string };
  'task-progress': TaskEvent & { progress: number };
  'task-log': TaskEvent & { text: string };
  /** An attempt failed and another follows after `retryInMs` (spec 3.5). */
  'task-attempt': TaskEvent & { attempt: number; error: string; retryInMs: number };
  'run-finished': { run: RunRecord; tasks: readonly TaskRecord[] };
}

export type RunEventName = keyof RunEventMap;
export type RunListener<K extends RunEventName> = (event: RunEventMap[K]) => void;

export class RunEvents {
  private readonly listeners: { [K in RunEventName]?: RunListener<K>[] } = {};

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends RunEventName>(name: K, listener: RunListener<K>): () => void {
    // Copy on write, so that emit can walk the list without copying it on every event.
    const add = (list: RunListener<K>[] | undefined) => [...(list ?? []), listener];
    this.listeners[name] = add(this.listeners[name] as RunListener<K>[] | undefined) as (typeof this.listeners)[K];
    return () => {
      const list = this.listeners[name] as RunListener<K>[] | undefined;
      this.listeners[name] = list?.filter((l) => l !== listener) as (typeof this.listeners)[K];
    };
  }

  /** Whether anyone listens: lets the run skip building payloads nobody reads. */
  has(name: RunEventName): boolean {
    return (this.listeners[name]?.length ?? 0) > 0;
  }

  emit<K extends RunEventName>(name: K, event: RunEventMap[K]): void {
    const list = this.listeners[name] as RunListener<K>[] | undefined;
    if (!list) return;
    // A throwing listener must not break the run or starve the other listeners.
    for (const listener of list) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
