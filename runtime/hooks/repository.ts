// The hook repository (issue 12; apflow's `get_hook_repository()`): what hooks use to read the tasks of
// the current run and to change fields other than a task's own `inputs`. apflow hands hooks its
// TaskRepository, whose `update_task(id, **fields)` writes any column; here the run's records are the
// store, so only the fields whose change the run can honour are accepted, and every other one is
// refused with a message (a hook's exception is recorded on the task and never fails it).
//  - `name`: recorded.
//  - `priority`: recorded, and for a task that has not started it reorders the ready tasks.
//  - `inputs`: a task that has not started runs with them (merged with its dependencies' results);
//    in a pre-hook, the task's own executor receives them.
//  - `params`: the executor's constructor arguments (Python), `context.task.params` (JavaScript).
// A finished task no longer changes. The names are apflow's, in JavaScript hooks too.
import { isMapping, taskView, type JsonObject, type TaskRecord, type TaskStatus, type TaskView } from '../types';

export const UPDATABLE_FIELDS = ['name', 'priority', 'inputs', 'params'] as const;
type Updatable = (typeof UPDATABLE_FIELDS)[number];

const STATUSES: readonly TaskStatus[] = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'];

/** What the repository needs of the run: its records, and a way to reorder a task that has not started. */
export interface RepositoryHost {
  readonly tasks: readonly TaskRecord[];
  reprioritize(index: number): void;
}

/** What a hook is given: apflow's TaskRepository methods that make sense over one run. */
export interface HookRepositoryApi {
  get_task_by_id(id: string): Promise<TaskView | null>;
  get_tasks_by_status(status: string): Promise<TaskView[]>;
  update_task(id: string, fields: JsonObject): Promise<TaskView>;
}

export class HookRepository implements HookRepositoryApi {
  private byId: Map<string, number> | null = null;

  constructor(private readonly host: RepositoryHost) {}

  /** The task with `id` in this run, as a copy; null when there is none. */
  async get_task_by_id(id: string): Promise<TaskView | null> {
    const i = this.indexOf(id);
    return i < 0 ? null : copyOf(this.host.tasks[i]);
  }

  /** The tasks of this run whose status is `status`, in file order, as copies. */
  async get_tasks_by_status(status: string): Promise<TaskView[]> {
    if (!STATUSES.includes(status as TaskStatus)) throw new Error(`get_tasks_by_status: '${status}' is not a task status (${STATUSES.join(', ')})`);
    return this.host.tasks.filter((t) => t.status === status).map(copyOf);
  }

  /** Changes fields of a task of this run; returns the task as it is now. Throws, naming the field, for what cannot change. */
  async update_task(id: string, fields: JsonObject): Promise<TaskView> {
    return copyOf(this.update(id, fields));
  }

  /** update_task's work, synchronous: the record itself after the change. */
  update(id: string, fields: JsonObject): TaskRecord {
    const i = this.indexOf(id);
    if (i < 0) throw new Error(`update_task: there is no task '${id}' in this run`);
    const record = this.host.tasks[i];
    if (record.status !== 'pending' && record.status !== 'in_progress') {
      throw new Error(`update_task: task '${id}' has finished (${record.status}) and can no longer change`);
    }
    const checked = Object.entries(fields).map(([key, value]) => [key as Updatable, checkField(key, value)] as const);
    for (const [key, value] of checked) (record as unknown as Record<Updatable, unknown>)[key] = structuredClone(value);
    if (checked.some(([key]) => key === 'priority') && record.status === 'pending') this.host.reprioritize(i);
    return record;
  }

  /**
   * The repository as the hook running with `view` (its copy of the task) sees it: a change to that
   * task shows in `view` too, as apflow's session shows it in the hook's task object.
   */
  forHook(view: TaskView): HookRepositoryApi {
    return {
      get_task_by_id: (id) => this.get_task_by_id(id),
      get_tasks_by_status: (status) => this.get_tasks_by_status(status),
      update_task: async (id, fields) => {
        const now = copyOf(this.update(id, fields));
        if (id === view.id) for (const key of Object.keys(fields)) (view as unknown as JsonObject)[key] = (now as unknown as JsonObject)[key];
        return now;
      },
    };
  }

  private indexOf(id: string): number {
    if (typeof id !== 'string') return -1;
    this.byId ??= new Map(this.host.tasks.map((t, i) => [t.id, i]));
    return this.byId.get(id) ?? -1;
  }
}

/** The value itself when `key` may take it; otherwise an Error saying what a hook may change. */
function checkField(key: string, value: unknown): unknown {
  const allowed = `hooks may change ${UPDATABLE_FIELDS.join(', ')}`;
  if (!(UPDATABLE_FIELDS as readonly string[]).includes(key)) {
    const why = key in RUNTIME_FIELDS ? `the runtime sets \`${key}\`` : `tasks have no field \`${key}\``;
    throw new Error(`update_task: ${why}; ${allowed}`);
  }
  const ok = key === 'name' ? typeof value === 'string' && value !== '' : key === 'priority' ? Number.isInteger(value) : key === 'params' ? value === null || isMapping(value) : isMapping(value);
  if (!ok) throw new Error(`update_task: \`${key}\` must be ${FIELD_TYPES[key as Updatable]}, not ${JSON.stringify(value) ?? String(value)}`);
  return value;
}

const FIELD_TYPES: Record<Updatable, string> = { name: 'a non-empty string', priority: 'an integer', inputs: 'a mapping', params: 'a mapping or null' };

/** Fields of a record that only the runtime writes (the rest of TaskRecord's keys). */
const RUNTIME_FIELDS: Record<string, true> = Object.fromEntries(
  ['id', 'parent_id', 'user_id', 'status', 'schemas', 'result', 'error', 'dependencies', 'progress', 'created_at', 'started_at', 'updated_at', 'completed_at', 'origin_type', 'original_task_id', 'has_references', 'task_tree_id', 'has_children', 'max_attempts', 'attempt_count', 'blocked_by', 'def_hash', 'position', 'hooks'].map((k) => [k, true]),
);

function copyOf(record: TaskRecord): TaskView {
  return structuredClone(taskView(record));
}

/** A repository call that came over the Python host's protocol: `method` and its positional arguments. */
export function callRepository(repository: HookRepositoryApi, method: string, args: readonly unknown[]): Promise<unknown> {
  switch (method) {
    case 'get_task_by_id':
      return repository.get_task_by_id(args[0] as string);
    case 'get_tasks_by_status':
      return repository.get_tasks_by_status(args[0] as string);
    case 'update_task':
      return repository.update_task(args[0] as string, isMapping(args[1]) ? args[1] : {});
    default:
      return Promise.reject(new Error(`the hook repository has no method '${method}' (it has get_task_by_id, get_tasks_by_status, update_task)`));
  }
}
