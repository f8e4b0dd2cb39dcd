// What the coordinator and its workers say to each other through Redis (issue 15, docs/workers.md):
// a BullMQ job per attempt of a ready task, and a Redis stream per run on which workers report each
// attempt's start, logs, progress and end. Inputs and results travel as JSON through Redis.
import type { JsonObject, TaskView } from '../types';

export const DEFAULT_QUEUE = 'apflow';

/** The data of one job: one attempt of one task of one run. */
export interface TaskJob {
  /** The run's dispatch id: names its stream, its heartbeat and its jobs. */
  run: string;
  index: number;
  /** The tree file relative to the workspace folder, with `/`: each worker reads its own checkout's copy. */
  file: string;
  taskId: string;
  defHash: string;
  executorHash: string;
  /** The merged inputs, as the task's executor is to receive them. */
  inputs: JsonObject;
  task: TaskView;
  /** Enforced by the worker; null for none. */
  timeoutSeconds: number | null;
}

/** How a worker's attempt ended. `thrown`: the executor threw or timed out (the runtime may retry). */
export interface JobOutcome {
  status: 'completed' | 'failed' | 'cancelled';
  result: unknown;
  error: string | null;
  thrown: boolean;
}

export type StreamEvent =
  | { k: 'start'; j: string; w: string; at: number }
  | { k: 'log'; j: string; t: string }
  | { k: 'progress'; j: string; p: number }
  | { k: 'end'; j: string; w: string; o: JobOutcome };

/**
 * BullMQ's job id of one dispatch of a task (BullMQ ids may not contain `:`). `sequence` counts the
 * run's dispatches: BullMQ ignores a job whose id it still holds, and a finished job lingers briefly.
 */
export function jobId(run: string, index: number, sequence: number): string {
  return `${run}.${index}.${sequence}`;
}

export const keys = {
  stream: (queue: string, run: string) => `apflow:${queue}:run:${run}:events`,
  /** Exists while the coordinator lives (refreshed; expires when it dies): workers drop jobs of runs without it. */
  alive: (queue: string, run: string) => `apflow:${queue}:run:${run}:alive`,
  /** Pub/sub channel on which the coordinator asks workers to abort a job (cancel). */
  abort: (queue: string) => `apflow:${queue}:abort`,
};

/**
 * apflow's priority (0 urgent … 3 low, lower first) → BullMQ's (1 highest; 0 would mean "no priority",
 * which BullMQ serves before every prioritised job). File order breaks ties: BullMQ keeps insertion order
 * among equal priorities, and ready tasks are added in the scheduler's order.
 */
export function bullPriority(priority: number): number {
  return Math.max(0, Math.min(2_000_000, Math.floor(priority))) + 1;
}
