// Where each task of a tree is in its document, from the analysis core (the same parse the language
// server and the runtime use), kept per document and re-analysed incrementally per version. This is what
// lenses, run diagnostics and "Reveal Task in File" position themselves on, without a round-trip to
// the language server.
import * as vscode from 'vscode';
import type { DocumentAnalyzer, TaskDef, TreeModel } from '../analysis';

export interface TaskSpot {
  index: number;
  /** The id as written, or null (the runtime then generates one). */
  id: string | null;
  name: string | null;
  /** id, else name, else `#index`: how the analysis and the run commands name the task. */
  key: string;
  /** The task's first line (its `- ` item), for lenses. */
  line: number;
  /** The whole task item. */
  range: vscode.Range;
  /** The `name` key (or the task start when it has none): where run diagnostics go. */
  nameKeyRange: vscode.Range;
  executor: string | null;
}

export interface TreeOutline {
  version: number;
  tasks: TaskSpot[];
  model: TreeModel;
  /** Finds a task by a run record: by id, or by name for a task the file gives no id. */
  byRecord(record: { id: string; name: string }): TaskSpot | undefined;
  byKey(key: string): TaskSpot | undefined;
}

interface Entry {
  analyzer: DocumentAnalyzer;
  outline: TreeOutline | null;
}

export class TaskIndex implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString()));
  }

  outline(document: vscode.TextDocument): TreeOutline {
    const key = document.uri.toString();
    let entry = this.entries.get(key);
    if (!entry) {
      // The analysis core is bundled into the extension but only evaluated on first use.
      const { DocumentAnalyzer } = require('../analysis') as typeof import('../analysis');
      const { nodeEnv } = require('../analysis/node-env') as typeof import('../analysis/node-env');
      const fileName = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
      entry = { analyzer: new DocumentAnalyzer(fileName, nodeEnv), outline: null };
      this.entries.set(key, entry);
    }
    if (entry.outline?.version === document.version) return entry.outline;
    const { model } = entry.analyzer.update(document.getText());
    entry.outline = buildOutline(document, model);
    return entry.outline;
  }

  dispose(): void {
    this.subscription.dispose();
    this.entries.clear();
  }
}

function buildOutline(document: vscode.TextDocument, model: TreeModel): TreeOutline {
  const tasks = model.tasks.map((def) => spot(document, def));
  const byId = new Map<string, TaskSpot>();
  const byName = new Map<string, TaskSpot>();
  for (const t of tasks) {
    if (t.id !== null && !byId.has(t.id)) byId.set(t.id, t);
    if (t.name !== null && !byName.has(t.name)) byName.set(t.name, t);
  }
  return {
    version: document.version,
    tasks,
    model,
    byRecord: (record) => byId.get(record.id) ?? (byId.has(record.id) ? undefined : noIdByName(byName.get(record.name))),
    byKey: (key) => byId.get(key) ?? byName.get(key) ?? tasks.find((t) => t.key === key),
  };
}

/** A record without a matching id belongs to the task of that name only if that task has no id. */
function noIdByName(t: TaskSpot | undefined): TaskSpot | undefined {
  return t && t.id === null ? t : undefined;
}

function spot(document: vscode.TextDocument, def: TaskDef): TaskSpot {
  const range = new vscode.Range(document.positionAt(def.span.start), document.positionAt(def.span.end));
  const nameKey = def.nameKeySpan ?? def.idSpan ?? { start: def.span.start, end: def.span.start };
  return {
    index: def.index,
    id: def.id,
    name: def.name,
    key: def.key,
    line: range.start.line,
    range,
    nameKeyRange: new vscode.Range(document.positionAt(nameKey.start), document.positionAt(nameKey.end)),
    executor: def.executor,
  };
}
