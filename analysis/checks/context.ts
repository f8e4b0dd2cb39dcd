// What the whole-file checks share: the tasks' facts, the resolved graph and the header.
import type { Components, Resolution } from '../graph';
import type { HeaderFacts } from '../header';
import type { Seg } from '../findings';
import { taskKey, taskRef } from '../identity';
import type { TaskFacts } from '../task-facts';
import type { AnalysisEnv, PythonView } from '../types';

export interface GraphContext {
  tasks: readonly TaskFacts[];
  resolution: Resolution;
  components: Components;
  header: HeaderFacts;
  headerSeg: Seg;
  /** Folder of the file, for workspace executor modules; null for an unsaved buffer. */
  fileDir: string | null;
  env: AnalysisEnv;
  python: PythonView;
}

/** How a message names task `i` (identity.ts). */
export function keyOf(tasks: readonly TaskFacts[], i: number): string {
  return taskKey(tasks[i], i);
}

/** The owner of a finding on task `i` (spec 6.3 `task`): its id or name, or null. */
export function ownerOf(tasks: readonly TaskFacts[], i: number): string | null {
  return taskRef(tasks[i]);
}

/** The reference to write when pointing at task `i` from another task. */
export function refTo(tasks: readonly TaskFacts[], i: number): string {
  return taskRef(tasks[i]) ?? '';
}

/**
 * The executor ids the file or its workspace gives code for: declared under `executors:` or
 * registered in the workspace's Python files. The one rule of what a custom executor id may name.
 */
export function codedExecutors(ctx: Pick<GraphContext, 'header' | 'python'>): Set<string> {
  return new Set([...ctx.header.executors.map((d) => d.id), ...ctx.python.executors.keys()]);
}

/** Indexes of the tasks with any of the `flag` bits (TaskFlag), in file order. */
export function flagged(ctx: GraphContext, flag: number): number[] {
  const { flags } = ctx.resolution;
  const found: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] & flag) found.push(i);
  return found;
}
