// What this server adds to LSP, shared with the extension (client/) and the tests.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/**
 * The code lens command. LSP carries plain JSON, but VS Code's `editor.action.showReferences` needs
 * URI and Position objects, so the extension registers this command and converts its arguments:
 * `(uri: string, position: Position, locations: Location[])`.
 */
export const SHOW_REFERENCES_COMMAND = 'apflow.showReferences';

export interface TaskRunStatus {
  /** The task's id (or its name, for a task without id). */
  key: string;
  /** e.g. `completed`, `failed`, `cancelled`, `blocked`. */
  status: string;
  durationMs?: number;
}

export interface RunStatusParams {
  uri: string;
  /** The newest run's outcome per task; replaces what was known for this document (empty: forget). */
  tasks: TaskRunStatus[];
}

/** Client → server: the outcome of the newest run of a document, shown in hovers on its tasks. */
export const RunStatusNotification = new NotificationType<RunStatusParams>('apflow/runStatus');

export interface ServerStatus {
  version: string;
  documents: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the JavaScript heap (buffers, strings handed to the transport). */
  external: number;
}

/** Client → server: memory and open documents, for troubleshooting and the benchmark (`collectGarbage` needs node --expose-gc). */
export const ServerStatusRequest = new RequestType<{ collectGarbage?: boolean }, ServerStatus, void>('apflow/serverStatus');
