// The messages between the extension and the graph view's webview (issue 13). Plain JSON both ways;
// the webview's bundle imports these as types only.
import type { TaskGraph } from './messages';

/** A task's status as the graph colours it (the Runs view's words: `blocked` is a pending task with a blocker). */
export type GraphStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'blocked';

/** One task's state in a run: [node index, status, duration in ms or null]. */
export type StatusEntry = [index: number, status: GraphStatus, durationMs: number | null];

export type ToGraphView =
  /** The file's graph (again after every edit); `requestedAt` is when the extension asked the server (Date.now()). */
  | {
      type: 'graph';
      file: string;
      graph: TaskGraph;
      canRun: boolean;
      requestedAt: number;
    }
  /** Statuses of the newest run of the file; `reset` forgets the statuses shown before (another run). */
  | {
      type: 'status';
      runId: string | null;
      running: boolean;
      reset: boolean;
      tasks: StatusEntry[];
    }
  /** The editor's cursor is in this task (-1: in none). */
  | { type: 'select'; index: number };

export type GraphCommand = 'runTask' | 'retryRun' | 'showTaskLog';

export type FromGraphView =
  | { type: 'ready' }
  | { type: 'reveal'; index: number }
  | { type: 'command'; command: GraphCommand; index: number }
  /** What the webview measured for its figures (the benchmark and the UI test read them). */
  | {
      type: 'painted';
      nodes: number;
      layoutMs: number;
      sinceRequestMs: number;
    };

/** The webview's saved state, restored on reload (WebviewPanelSerializer). */
export interface GraphViewState {
  uri: string;
  /** Groups the user opened or closed, by task key: true = expanded. */
  toggled?: Record<string, boolean>;
}
