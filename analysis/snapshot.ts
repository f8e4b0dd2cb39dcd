// One version of a document as the analysis core hands it out: immutable, and every question is asked
// in LSP terms (0-based lines, UTF-16 characters) and answered in plain data. The language server, the
// runtime's pre-flight and the CLI hold snapshots; none of them sees the parse state behind one, so a
// snapshot read after newer versions still answers for its own text.
import * as features from './features';
import { offsetAt } from './features/positions';
import { diagnosticsOf, modelOf } from './output';
import type { TaskNames } from './identity';
import type { DocumentState } from './state';
import type { ResolvedTarget } from './target';
import type { Diagnostic, Position, QuickFix, Range, TreeModel } from './types';

/** A quick fix together with the diagnostic it fixes. */
export interface FixAction {
  diagnostic: Diagnostic;
  fix: QuickFix;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The folder of a file name, or null for a bare name (an unsaved buffer). */
function folderOf(fileName: string): string | null {
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  return slash >= 0 ? fileName.slice(0, slash) || '/' : null;
}

export class Snapshot {
  private diagnosticsMemo: Diagnostic[] | undefined;
  private modelMemo: TreeModel | undefined;
  private symbolsMemo: features.SymbolNode[] | undefined;
  private lensesMemo: features.TaskLens[] | undefined;
  private namesMemo: readonly TaskNames[] | undefined;
  /** Whether the document is JSON (quoting of inserted text). */
  readonly json: boolean;
  /** The folder of the file, for workspace executor modules; null for an unsaved buffer. */
  readonly fileDir: string | null;

  constructor(
    /** The document version this snapshot is of (the editor's version; the CLI counts from 1). */
    readonly version: number,
    readonly fileName: string,
    private readonly state: DocumentState,
  ) {
    this.json = /\.json$/i.test(fileName);
    this.fileDir = folderOf(fileName);
  }

  /** Whether `other` is a snapshot of the very same parse (a version that changed nothing). */
  sameAnalysis(other: Snapshot | null): boolean {
    return other !== null && other.state === this.state;
  }

  /** The text analysed; a lone carriage return is read as the line break it is (it became `\n`). */
  get text(): string {
    return this.state.text;
  }

  /** The apflow line this version is checked against, and where that choice came from (analysis/target.ts). */
  get target(): ResolvedTarget {
    return this.state.header.facts.target;
  }

  /** How the core read the file: item by item, or as one document (the fall-back). */
  get parseMode(): 'items' | 'full' {
    return this.state.mode;
  }

  /**
   * Every diagnostic of this version, sorted by position (spec 2: the CLI and the server agree).
   * Computed once: callers read the array and never change it.
   */
  get diagnostics(): Diagnostic[] {
    this.diagnosticsMemo ??= diagnosticsOf(this.state, this.json);
    return this.diagnosticsMemo;
  }

  get model(): TreeModel {
    this.modelMemo ??= modelOf(this.state);
    return this.modelMemo;
  }

  /**
   * Each task's id and name as written, in file order: what matching run records and naming tasks
   * need, without building the model's plain task values (60–110 ms at 10,000 tasks).
   */
  get taskNames(): readonly TaskNames[] {
    this.namesMemo ??= this.state.tasks.map(({ facts }) => ({ id: facts.id, name: facts.name }));
    return this.namesMemo;
  }

  /** How many tasks the file lists. */
  get taskCount(): number {
    return this.state.tasks.length;
  }

  /** The offset of a position; a character past the end of its line means the end of that line. */
  offsetAt(position: Position): number {
    return offsetAt(this.state, position);
  }

  complete(position: Position): features.CompletionList {
    return features.complete(this.state, this.offsetAt(position), this.json);
  }

  hover(position: Position, lastRun?: features.RunStatusLookup): features.HoverResult | null {
    return features.hover(this.state, this.offsetAt(position), lastRun);
  }

  definition(position: Position): features.FeatureLocation[] {
    return features.definition(this.state, this.offsetAt(position), this.fileDir);
  }

  references(position: Position, includeDeclaration: boolean): Range[] {
    return features.references(this.state, this.offsetAt(position), includeDeclaration);
  }

  prepareRename(position: Position): features.PrepareRenameResult {
    return features.prepareRename(this.state, this.offsetAt(position));
  }

  rename(position: Position, newName: string): features.RenameResult {
    return features.rename(this.state, this.offsetAt(position), newName, this.json);
  }

  /** The outline: tasks nested by parent_id (computed once per snapshot). */
  documentSymbols(): readonly features.SymbolNode[] {
    this.symbolsMemo ??= features.documentSymbols(this.state);
    return this.symbolsMemo;
  }

  /** One lens per task, above its first line (computed once per snapshot). */
  codeLenses(): readonly features.TaskLens[] {
    this.lensesMemo ??= features.codeLenses(this.state);
    return this.lensesMemo;
  }

  /** The graph view's nodes, edges and dangling references (not memoised: the server memoises per version). */
  taskGraph(): features.TaskGraphData {
    return features.taskGraph(this.state);
  }

  lensDetails(task: number): { title: string; locations: Range[] } {
    return features.lensDetails(this.state, task);
  }

  /** A task again from an item of an earlier version (a lens, a hierarchy item): by id or name, else by position. */
  findTask(key: string | null, index: number): number | null {
    return features.findTask(this.state, key, index);
  }

  prepareCallHierarchy(position: Position): features.TaskItem[] {
    return features.prepareCallHierarchy(this.state, this.offsetAt(position));
  }

  incomingCalls(task: number): features.HierarchyCall[] {
    return features.incomingCalls(this.state, task);
  }

  outgoingCalls(task: number): features.HierarchyCall[] {
    return features.outgoingCalls(this.state, task);
  }

  /** The quick fixes of the diagnostics that touch `range`. */
  fixesAt(range: Range): FixAction[] {
    const out: FixAction[] = [];
    for (const diagnostic of this.diagnostics) {
      if (!diagnostic.fixes?.length || !overlaps(diagnostic.range, range)) continue;
      for (const fix of diagnostic.fixes) out.push({ diagnostic, fix });
    }
    return out;
  }
}
