// The messages between the extension and the graph view's webview (issue 13). Plain JSON both ways;
// the webview's bundle imports these as types only.
import type { GraphNode, TaskGraph } from './messages';

/**
 * A task as the page needs it: what its box shows and where it nests. Its ranges stay in the
 * extension (reveal and the cursor are handled there), which keeps a 10,000-task graph's message to
 * the page small — in code-server it crosses the network from the remote extension host.
 */
export type ViewNode = Pick<GraphNode, 'index' | 'key' | 'label' | 'executor' | 'priority' | 'parent'>;

export interface ViewGraph extends Omit<TaskGraph, 'nodes'> {
  nodes: ViewNode[];
}

/** The page's copy of a graph. */
export function viewGraph(graph: TaskGraph): ViewGraph {
  return { ...graph, nodes: graph.nodes.map(({ index, key, label, executor, priority, parent }) => ({ index, key, label, executor, priority, parent })) };
}

/** A task's status as the graph colours it (the Runs view's words: `blocked` is a pending task with a blocker). */
export type GraphStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'blocked';

/** One task's state in a run: [node index, status, duration in ms or null]. */
export type StatusEntry = [index: number, status: GraphStatus, durationMs: number | null];

export type ToGraphView =
  /** The file's graph (again after every edit); `requestedAt` is when the extension asked the server (Date.now()). */
  | {
      type: 'graph';
      file: string;
      graph: ViewGraph;
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
