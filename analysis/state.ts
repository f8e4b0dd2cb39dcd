// The parse state of one document version: what document.ts builds and the language features and
// output read. Every object here belongs to the snapshot(s) that can reach it and is never changed
// after it is built: an edit builds new objects for what it touches or moves and shares the rest, so
// an older snapshot keeps answering for its own text.
import type { CheckFindings } from './checks/global';
import type { Document } from 'yaml';
import type { Finding, Seg } from './findings';
import type { Components, Resolution } from './graph';
import type { HeaderFacts } from './header';
import type { Suppression } from './suppress';
import type { TaskFacts } from './task-facts';
import type { ApflowTarget } from './target';
import type { AnalysisEnv, PythonView } from './types';

/** invalid-inputs of a task against a workspace executor's input_schema, keyed by that schema. */
export interface DeclaredInputs {
  readonly key: string;
  readonly findings: readonly Finding[];
}

export interface ParsedTask {
  readonly seg: Seg;
  readonly facts: TaskFacts;
  readonly value: Record<string, unknown>;
  readonly local: readonly Finding[];
  readonly signature: string;
  readonly declared: DeclaredInputs | null;
}

export interface Item {
  readonly seg: Seg;
  /** yaml-syntax findings and problems of an item that is not a task mapping. */
  readonly findings: readonly Finding[];
  readonly task: ParsedTask | null;
  readonly suppressions: readonly Suppression[];
  readonly hasAnchors: boolean;
}

export interface HeaderPart {
  readonly seg: Seg;
  readonly doc: Document.Parsed;
  readonly facts: HeaderFacts;
  readonly findings: readonly Finding[];
  readonly suppressions: readonly Suppression[];
  readonly hasAnchors: boolean;
  /** The host's target the header was read with (the file's own `apflow_version` wins over it). */
  readonly option: ApflowTarget | undefined;
}

export interface GraphState {
  /** The workspace's Python code as it was when the whole-file checks ran (the features read the same). */
  readonly python: PythonView;
  readonly resolution: Resolution;
  readonly components: Components;
  readonly findings: readonly Finding[];
  /** The same findings check by check (checks/global.ts), so that an edit of dependencies can keep some. */
  readonly byCheck: CheckFindings;
}

export interface DocumentState {
  readonly text: string;
  readonly mode: 'items' | 'full';
  readonly indent: number;
  readonly header: HeaderPart;
  readonly items: readonly Item[];
  readonly tasks: readonly ParsedTask[];
  readonly graph: GraphState;
  /** Items with findings or suppression comments of their own: most items have neither. */
  readonly notable: ReadonlySet<Item>;
}

export interface DocumentOptions {
  fileName: string;
  env: AnalysisEnv;
}
