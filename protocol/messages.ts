// The messages this server adds to LSP, and the commands its lenses name. The extension (client/),
// the language server (server/) and the tests import them from here, so that the two sides can never
// spell a method, a field or a command differently.
import { NotificationType, NotificationType0, RequestType } from 'vscode-languageserver-protocol';
import type { Range } from 'vscode-languageserver-protocol';
import type { TaskGraphData } from '../analysis/features';

/**
 * The `N dependents · M dependencies` lens command. LSP carries plain JSON, but VS Code's
 * `editor.action.showReferences` needs URI and Position objects, so the extension registers this
 * command and converts its arguments: `(uri: string, position: Position, locations: Location[])`.
 */
export const SHOW_REFERENCES_COMMAND = 'apflow.showReferences';
/** `▶ Run task` above a task: `(uri: string, taskKey: string)`; runs the task and its dependencies. */
export const RUN_TASK_COMMAND = 'apflow.runTask';
/** A task's status lens: `({ runId, taskId })`; opens the task's record of that run. */
export const SHOW_TASK_RECORD_COMMAND = 'apflow.showTaskRecord';

/**
 * What the client says about runs in `initializationOptions`. A client that sends `runs` has the run
 * commands above, so the server puts `▶ Run task` lenses above the tasks of documents it may run.
 */
export interface InitializationOptions {
  runs?: RunsCapability;
  /**
   * The client shows the server's lenses through a lens provider it registered before the server
   * started (the extension: client/server-lenses.ts). The server then answers `textDocument/codeLens`
   * and `codeLens/resolve` without declaring `codeLensProvider`, and says that they changed with
   * LensesChangedNotification rather than `workspace/codeLens/refresh` (which would reach the language
   * client's own lens feature instead). VS Code waits for every lens provider of a file before it shows
   * any lens, and starts its first round again when one more registers: a provider that appears once
   * the server has answered `initialize` put the first lens of a big file a second later.
   */
  ownLensProvider?: boolean;
}

/** Server → client (one that sent `ownLensProvider`): the lenses of some documents changed; ask again. */
export const LensesChangedNotification = new NotificationType0('apflow/lensesChanged');

export interface RunsCapability {
  /** Whether the workspace is trusted (runs execute code); virtual documents are never run. */
  trusted: boolean;
}

/** Client → server: the workspace was trusted after the server started (trust is never revoked without a reload). */
export const WorkspaceTrustNotification = new NotificationType<RunsCapability>('apflow/workspaceTrust');

/** What `host.py --probe` found in the Python that runs the workspace's Python tasks (issue 12). */
export interface PythonEnvironmentParams {
  /** The interpreter's path as the runtime starts it. */
  interpreter: string;
  /** apflow's version there, or null when apflow is not installed in it. */
  apflow: string | null;
  /** The executor ids apflow's registry offers there (its built-ins that can be loaded). */
  executors: string[];
}

/**
 * Client → server, once per interpreter (trusted workspaces only: probing runs the interpreter): the
 * server stops calling those executors "needs an apflow server", since the embedded runtime runs them.
 */
export const PythonEnvironmentNotification = new NotificationType<PythonEnvironmentParams>('apflow/pythonEnvironment');

/** A task of the newest run of a document, as the history records it. */
export interface TaskRunRecord {
  /** The record's task id (the runtime generates one for a task the file gives no id). */
  id: string;
  name: string;
  /** As the editor shows it: `completed`, `failed`, `cancelled`, `blocked`, `in_progress`, `pending`. */
  status: string;
  durationMs?: number;
  /** The task's lens text, as the editor words it (`✓ completed 120 ms`, `✗ failed: …`); else the status is shown. */
  title?: string;
}

export interface RunStatusParams {
  uri: string;
  /** The run the records belong to (the status lenses open its task records). */
  runId: string;
  /** Whether that run is still going: no task of the document may be started meanwhile. */
  running: boolean;
  /** The newest run's tasks; replaces what was known for this document (empty: forget). */
  tasks: TaskRunRecord[];
}

/** Client → server: the newest run of a document, for the status lenses and hovers of its tasks. */
export const RunStatusNotification = new NotificationType<RunStatusParams>('apflow/runStatus');

export interface TaskLocationsParams {
  textDocument: { uri: string };
}

/** Where a task is in the current version of its document (0-based LSP positions, UTF-16). */
export interface TaskLocation {
  /** Position in the file's task list. */
  index: number;
  id: string | null;
  name: string | null;
  /** How run commands name the task: its id, else its name, else `#n`. */
  key: string;
  executor: string | null;
  /** The whole task item. */
  range: Range;
  /** The `name` key (else the `id` key, else the task's start): where run diagnostics go. */
  nameKeyRange: Range;
}

export interface TaskLocations {
  /** The document version these locations are for. */
  version: number;
  tasks: TaskLocation[];
}

/** Client → server: the tasks of an open document, from the server's current analysis (null if it is not open). */
export const TaskLocationsRequest = new RequestType<TaskLocationsParams, TaskLocations | null, void>('apflow/taskLocations');

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

// The graph view's wire shapes are the core's own (type-only: no analysis code reaches the client).
export type { DanglingRef, GraphEdge, GraphNode } from '../analysis/features';

export interface TaskGraph extends TaskGraphData {
  /** The document version the graph is of. */
  version: number;
}

/**
 * Client → server: the graph view's tasks, nesting, dependency edges (cycle edges marked) and dangling
 * references of an open document, from the server's current analysis (null if it is not open). It is
 * answered for a file with errors too: whatever the parse found is drawn.
 */
export const TaskGraphRequest = new RequestType<TaskLocationsParams, TaskGraph | null, void>('apflow/graph');
export interface TestCasesParams {
  textDocument: { uri: string };
}

/** A case of a tree-test file (`*.apflow.test.yaml`), where its `name` is written. */
export interface TestCaseLocation {
  index: number;
  name: string;
  range: Range;
}

export interface TestCases {
  /** The tree file the cases run (absolute), or null when the file names none. */
  tree: string | null;
  cases: TestCaseLocation[];
}

/** Client → server: the cases of a test file, from its open buffer or else the file on disk (null if neither can be read). */
export const TestCasesRequest = new RequestType<TestCasesParams, TestCases | null, void>('apflow/testCases');
