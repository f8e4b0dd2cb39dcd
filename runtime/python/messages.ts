// The line-delimited JSON the runtime and host.py exchange (docs/python-host.md). Field names are the
// documented ones; host.py is the other half.
import type { JsonObject, TaskView } from '../types';
import type { PythonTarget } from '../../analysis';

export type HostRequest =
  | {
      op: 'execute';
      id: number;
      kind: 'executor' | 'hook';
      target: PythonTarget;
      /** The tree's folder: relative files resolve from it and it is put on sys.path. */
      cwd: string;
      task: TaskView;
      inputs?: JsonObject;
      params?: JsonObject;
      /** A hook's arguments after the task. */
      args?: unknown[];
    }
  | { op: 'cancel'; id: number }
  /** The answer to a hook's repository call: `value`, or `error` (raised in the hook). */
  | { op: 'repository'; id: number; request: number; value?: unknown; error?: string }
  | { op: 'shutdown' };

export type HostReply =
  | { op: 'ready'; protocol: number; python: string; executable: string; apflow: string | null }
  | { op: 'result'; id: number; value: unknown }
  | { op: 'failure'; id: number; error: string; traceback?: string; cancelled?: boolean }
  | { op: 'log'; id: number; text: string }
  | { op: 'progress'; id: number; fraction: number }
  /** A hook's call of the hook repository (get_task_by_id, get_tasks_by_status, update_task). */
  | { op: 'repository'; id: number; request: number; method: string; args: unknown[] };

/** What `host.py --probe` prints. */
export interface ProbeResult {
  python: string;
  executable: string;
  apflow: string | null;
  executors: string[];
  error?: string;
}
