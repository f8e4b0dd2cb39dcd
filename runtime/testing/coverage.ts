// Coverage of a tree by its test file: which tasks no tree case ran (for real or mocked), and which
// dependency edges no case exercised with a failure upstream (the dependency failed, or was blocked by
// a failure further up), so that the blocking or fallback behaviour of that edge was never tested.
import { lineStarts, positionIn, type Range, type TreeModel } from '../../analysis';
import type { CaseResult } from './run-case';

export interface TaskCoverage {
  task: string;
  /** Where the task's id (or the task) is written in the tree file. */
  range: Range;
  ran: boolean;
}

export interface EdgeCoverage {
  /** The dependency and the task that depends on it. */
  from: string;
  to: string;
  required: boolean;
  /** Where the dependency is listed in the tree file. */
  range: Range;
  failedUpstream: boolean;
}

export interface Coverage {
  tasks: TaskCoverage[];
  edges: EdgeCoverage[];
}

export function coverageOf(model: TreeModel, treeText: string, results: readonly CaseResult[]): Coverage {
  const starts = lineStarts(treeText);
  const rangeOf = (span: { start: number; end: number }): Range => ({
    start: positionIn(starts, span.start),
    end: positionIn(starts, span.end),
  });
  const n = model.tasks.length;
  const ran = new Uint8Array(n);
  const treeRuns = results.filter((r) => r.case.executor === null && r.run !== null);
  const failedAt = treeRuns.map(() => new Uint8Array(n));
  // Records are in file order (position = the task's index), whatever ids the runs generated.
  treeRuns.forEach((r, k) => {
    for (const t of r.tasks) {
      if (t.started_at !== null) ran[t.position] = 1;
      if (t.status === 'failed' || t.blocked_by !== null) failedAt[k][t.position] = 1;
    }
  });
  const tasks = model.tasks.map((def) => ({
    task: def.key,
    range: rangeOf(def.idSpan ?? def.span),
    ran: ran[def.index] === 1,
  }));
  const edges = model.tasks.flatMap((def) =>
    def.dependencies
      .filter((d) => d.target !== null)
      .map((d) => ({
        from: model.tasks[d.target as number].key,
        to: def.key,
        required: d.required,
        range: rangeOf(d.span),
        failedUpstream: failedAt.some((failed) => failed[d.target as number] === 1),
      })),
  );
  return { tasks, edges };
}
