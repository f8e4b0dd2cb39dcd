// The analysis core: text → document model → diagnostics, shared by the language server, the
// runtime's pre-flight and the CLI, which must agree to the letter (spec 2).
import { DocumentModel, type DocumentState } from './document';
import { diagnosticsOf, modelOf } from './output';
import type { AnalysisEnv, Diagnostic, TreeModel } from './types';

export * from './types';
export { CATALOGUE, catalogueEntry, BUILTIN_EXECUTOR_IDS, type CatalogueEntry } from './catalogue';
export { formatDiagnosticLine } from './format';

export interface Analysis {
  diagnostics: Diagnostic[];
  model: TreeModel;
  /** The parsed document, for language features. Valid until the analyzer's next update. */
  state: DocumentState;
}

/** Analyses successive versions of one document, re-parsing only what changed. */
export class DocumentAnalyzer {
  private readonly document: DocumentModel;
  private last: { state: DocumentState; analysis: Analysis } | null = null;

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

  update(text: string): Analysis {
    return this.publish(this.document.update(text));
  }

  /** Re-runs the whole-file checks (the environment changed, e.g. an executor module appeared). */
  refresh(): Analysis | null {
    const state = this.document.refresh();
    return state && this.publish(state);
  }

  private publish(state: DocumentState): Analysis {
    if (this.last?.state === state) return this.last.analysis;
    const json = /\.json$/i.test(this.fileName);
    const analysis = { diagnostics: diagnosticsOf(state, json), model: modelOf(state), state };
    this.last = { state, analysis };
    return analysis;
  }
}

/** One-shot analysis of a file's text. */
export function analyzeFile(text: string, fileName: string, env: AnalysisEnv): Analysis {
  return new DocumentAnalyzer(fileName, env).update(text);
}
