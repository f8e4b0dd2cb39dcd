// Where each task of a tree is in its document, asked of the language server (apflow/taskLocations)
// for the document's current version: the extension never parses a tree itself. Run diagnostics,
// "Reveal Task in File" and the task pickers position themselves on it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { recordMatcher, type RecordNames } from '../analysis/identity';
import { TaskLocationsRequest, type TaskLocation } from '../protocol';

export interface TaskSpot {
  index: number;
  /** The id as written, or null (the runtime then generates one). */
  id: string | null;
  name: string | null;
  /** id, else name, else `#n`: how the analysis and the run commands name the task. */
  key: string;
  executor: string | null;
  /** The whole task item. */
  range: vscode.Range;
  /** The `name` key (or the task start when it has none): where run diagnostics go. */
  nameKeyRange: vscode.Range;
}

export interface TreeOutline {
  version: number;
  tasks: TaskSpot[];
  /** The task a run record belongs to (analysis/identity's rule). */
  byRecord(record: RecordNames): TaskSpot | undefined;
  /** The task a run command names: by id, else by name, else by `#n`. */
  byKey(key: string): TaskSpot | undefined;
}

/** How long a command waits for the server to catch up with the document (it is starting, or busy with a newer version). */
const WAIT_MS = 10_000;
const RETRY_MS = 50;

export class TaskLocator implements vscode.Disposable {
  private readonly outlines = new Map<string, TreeOutline>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((d) => this.outlines.delete(d.uri.toString()));

  constructor(private readonly client: LanguageClient) {}

  /** The tasks of `document` as it is now. Rejects with a plain message if the server cannot say. */
  async outline(document: vscode.TextDocument): Promise<TreeOutline> {
    const known = this.outlines.get(document.uri.toString());
    if (known?.version === document.version) return known;
    const shown = vscode.workspace.asRelativePath(document.uri);
    if (document.languageId !== 'apflow') throw new Error(`${shown} is not open as an apflow task tree (its language mode is ${document.languageId}).`);
    const until = Date.now() + WAIT_MS;
    let failure = 'it has not analysed the file yet';
    for (;;) {
      try {
        const result = await this.client.sendRequest(TaskLocationsRequest, { textDocument: { uri: this.client.code2ProtocolConverter.asUri(document.uri) } });
        if (result && result.version === document.version) {
          const outline = buildOutline(result.version, result.tasks.map((t) => this.spot(t)));
          this.outlines.set(document.uri.toString(), outline);
          return outline;
        }
      } catch (error) {
        failure = `it is not running (${error instanceof Error ? error.message : String(error)}); see the apflow output channel`;
      }
      if (Date.now() > until) throw new Error(`the apflow language server could not locate the tasks of ${shown}: ${failure}. Try again in a moment.`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.outlines.clear();
  }

  private spot(t: TaskLocation): TaskSpot {
    const range = this.client.protocol2CodeConverter.asRange;
    return { index: t.index, id: t.id, name: t.name, key: t.key, executor: t.executor, range: range(t.range), nameKeyRange: range(t.nameKeyRange) };
  }
}

function buildOutline(version: number, tasks: TaskSpot[]): TreeOutline {
  const match = recordMatcher(tasks);
  return {
    version,
    tasks,
    byRecord: (record) => tasks[match(record)],
    byKey: (key) => tasks.find((t) => t.id === key) ?? tasks.find((t) => t.name === key) ?? tasks.find((t) => t.key === key),
  };
}
