// The public shapes of the analysis core: positions, diagnostics and the document model. Everything
// here is plain data so that the language server, the runtime's pre-flight and the CLI can share it.
import type { ApflowTarget } from './target';
import type { PythonView } from './python/types';

export type { PythonDefinition, PythonExecutorFacts, PythonFileFacts, PythonView } from './python/types';

/** 0-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type DiagnosticCode =
  | 'yaml-syntax'
  | 'schema'
  | 'unknown-key'
  | 'unsupported-version'
  | 'duplicate-id'
  | 'duplicate-name'
  | 'unknown-reference'
  | 'self-dependency'
  | 'dependency-cycle'
  | 'parent-cycle'
  | 'no-root'
  | 'multiple-roots'
  | 'missing-executor'
  | 'unknown-executor'
  | 'invalid-inputs'
  | 'executor-module-missing'
  | 'shadowed-executor'
  | 'invalid-schedule'
  | 'schedule-format'
  | 'parent-ordering'
  | 'unreachable'
  | 'duplicate-dependency'
  | 'runtime-field'
  | 'long-name'
  | 'remote-executor'
  | 'unused-executor'
  | 'tree-too-large'
  | 'missing-timeout'
  | 'priority-overuse'
  | 'fallback-blocked'
  | 'name-as-executor'
  | 'dropped-field'
  | 'ignored-input'
  | 'priority-zero-last'
  | 'cross-tree-dependency'
  | 'duplicate-executor'
  | 'missing-env'
  | 'server-unsupported';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix as data: the LSP layer turns it into a CodeAction with a WorkspaceEdit. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface RelatedInformation {
  range: Range;
  message: string;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: Range;
  /** The id (or name, when the task has no id) of the task the diagnostic belongs to. */
  task: string | null;
  related?: RelatedInformation[];
  unnecessary?: boolean;
  fixes?: QuickFix[];
}

/** Offsets into the document text (UTF-16 code units), half-open. */
export interface Span {
  start: number;
  end: number;
}

export interface DependencyDef {
  /** The reference as written (an id or a name). */
  ref: string;
  required: boolean;
  /** Index of the task it resolves to, or null when it does not resolve. */
  target: number | null;
  /** The span of the reference value (for a mapping entry, its `id`/`name` value). */
  span: Span;
  /** The span of the whole sequence entry. */
  entrySpan: Span;
}

export interface TaskDef {
  /** Position in the file's task list (file order). */
  index: number;
  id: string | null;
  name: string | null;
  /** How messages and the CLI name the task: its id, else its name, else `#<index>`. */
  key: string;
  parentRef: string | null;
  parent: number | null;
  dependencies: DependencyDef[];
  /** `params.executor_id` if present, else `schemas.method`. */
  executor: string | null;
  priority: number;
  /** The task as authored, as plain JSON-compatible data. */
  value: Record<string, unknown>;
  /** Spans used by diagnostics and navigation. */
  span: Span;
  idSpan: Span | null;
  nameSpan: Span | null;
  nameKeySpan: Span | null;
  parentSpan: Span | null;
  executorSpan: Span | null;
}

/**
 * A declaration's `python:` reference: exactly one of `file` (relative to the tree file's folder, as
 * written) and `module` (dotted, resolved with the workspace on `sys.path`) is set; `name` is the
 * class or function after the `:`.
 */
export interface PythonRef {
  file: string | null;
  module: string | null;
  name: string;
}

export interface ExecutorDecl {
  id: string;
  module: string | null;
  exportName: string;
  /** The Python code the declaration names, or null (a JS `module`, or a description of a discovered executor). */
  python: PythonRef | null;
  description: string | null;
  inputSchema: Record<string, unknown> | null;
  idSpan: Span;
  moduleSpan: Span | null;
  pythonSpan: Span | null;
}

/** An entry of a top-level `hooks:` list (ext): a JS module's export or a `python:` reference. */
export interface HookDecl {
  list: 'pre' | 'post' | 'on_tree_started' | 'on_tree_completed' | 'on_tree_failed';
  module: string | null;
  exportName: string;
  python: string | null;
}

/** What the analysis knows about a file once it has been read. */
export interface TreeModel {
  /** `mapping`: the documented top-level mapping; `sequence`: a bare apflow task array. */
  shape: 'mapping' | 'sequence' | 'invalid';
  version: unknown;
  /** The apflow line the file is checked and exported for (analysis/target.ts). */
  target: ApflowTarget;
  description: string | null;
  tasks: TaskDef[];
  executors: ExecutorDecl[];
  /** In list order within each list. */
  hooks: HookDecl[];
  /** `env.required`: variables a run needs (ext). */
  requiredEnv: string[];
  /** Resolves a reference the way apflow does: first as an id, then as a name. */
  resolve(ref: string): TaskDef | undefined;
}

/** I/O the analysis needs, injected by its host so that the core stays pure. */
export interface AnalysisEnv {
  /** Whether a workspace executor's module exists (absolute path). */
  fileExists(path: string): boolean;
  /** Above this many tasks under one root, `tree-too-large` (setting `apflow.validate.maxTreeSize`; default 200). */
  readonly maxTreeSize?: number;
  /** The host's target (CLI `--target`, setting `apflow.target`); a file's `apflow_version` wins. */
  readonly target?: ApflowTarget;
  /**
   * The workspace's Python code as a tree file in `fileDir` sees it (static discovery, issue 12);
   * absent when the host does not discover Python, then only declared executors are known.
   */
  python?(fileDir: string | null): PythonView;
}
