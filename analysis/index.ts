// The analysis core: text → immutable snapshot → {diagnostics, model, language features}, shared by
// the language server, the runtime's pre-flight and the CLI, which must agree to the letter (spec 2).
import { DocumentModel } from './document';
import { Snapshot } from './snapshot';
import type { AnalysisEnv } from './types';

export * from './types';
export { NO_PYTHON } from './python/types';
export { CATALOGUE, catalogueEntry, BUILTIN_EXECUTOR_IDS, builtinIds, isBuiltin, type CatalogueEntry } from './catalogue';
export { RUNTIME_FIELDS } from './checks/task-local';
export { DEFAULT_TARGET, TARGETS, droppedFields, resolveTarget, targetOf, type ApflowTarget, type ResolvedTarget } from './target';
export { formatDiagnosticLine } from './format';
export { DEFAULT_MAX_TREE_SIZE } from './checks/tree-size';
export { diagnosticSections } from './doc-links';
export { compileUserSchema } from './schema-check';
export { lineStarts, positionIn } from './text';
export { executorModulePath, recordMatcher, taskKey, taskLabel, taskRef, type RecordNames, type TaskNames } from './identity';
export { Snapshot, type FixAction } from './snapshot';
export { parsePythonTarget, targetLabel, type PythonTarget } from './python-target';
/** @deprecated The old name of `Snapshot`, kept only until test/bench/core.ts (another room) moves to it. */
export type { Snapshot as Analysis } from './snapshot';
export type { CompletionEntry, CompletionList, CriticalPath, DanglingRef, FeatureLocation, GraphEdge, GraphNode, HierarchyCall, HoverResult, PathTask, TaskGraphData, PrepareRenameResult, RenameResult, RunStatus, RunStatusLookup, SymbolNode, TaskItem, TaskLens } from './features';

/** Analyses successive versions of one document, re-parsing only what changed. */
export class DocumentAnalyzer {
  private readonly document: DocumentModel;
  private last: Snapshot | null = null;

  constructor(
    private readonly fileName: string,
    env: AnalysisEnv,
  ) {
    this.document = new DocumentModel({ fileName, env });
  }

  /** Whether the last update re-ran the whole-file graph checks. */
  get recomputedGraph(): boolean {
    return this.document.lastUpdateRecomputedGraph;
  }

  /** The snapshot of `text` as version `version` (by default the one after the last). */
  update(text: string, version = (this.last?.version ?? 0) + 1): Snapshot {
    return this.publish(new Snapshot(version, this.fileName, this.document.update(text)));
  }

  /** Re-runs the whole-file checks (the environment changed, e.g. an executor module appeared). */
  refresh(): Snapshot | null {
    const state = this.document.refresh();
    return state && this.publish(new Snapshot(this.last?.version ?? 1, this.fileName, state));
  }

  private publish(snapshot: Snapshot): Snapshot {
    // The same parse under the same version is the same snapshot (and keeps its memos).
    if (this.last && snapshot.version === this.last.version && snapshot.sameAnalysis(this.last)) return this.last;
    this.last = snapshot;
    return snapshot;
  }
}

/** One-shot analysis of a file's text. */
export function analyzeFile(text: string, fileName: string, env: AnalysisEnv): Snapshot {
  return new DocumentAnalyzer(fileName, env).update(text, 1);
}
