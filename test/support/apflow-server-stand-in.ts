// A boundary stand-in for apflow 0.18.1's API server (api/routes/tasks.py, api/a2a/custom_starlette_app.py),
// on 127.0.0.1 and a free port: JSON-RPC 2.0 over POST /tasks, Bearer auth answered with HTTP 401 and
// code −32001, errors as HTTP 500 / −32603 with `data`, and `tasks.execute` streaming server-sent events
// that end, as apflow's do, right after the first task that finishes. Tasks "execute" by their inputs:
// `sleep` (seconds), `fail` (the error to fail with); anything else completes with {ok: true, task: name}.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface StandInOptions {
  /** With a token, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Answer GET /tasks/methods as a server that is not apflow 0.18's API (0.20's `serve` has no /tasks). */
  notApflow018?: boolean;
  /** Close the event stream's connection abruptly after this many task events (a lost connection). */
  dropStreamAfter?: number;
  /** Fail `tasks.execute` with this −32603 message. */
  executeError?: string;
  /** Keep the stream open to the end of the tree instead of ending it after the first finished task. */
  fullStream?: boolean;
}

export interface StandInTask extends Json {
  id: string;
  name: string;
  parent_id: string | null;
  status: string;
  inputs: Json;
  result: unknown;
  error: string | null;
  dependencies: { id: string; required: boolean }[];
}

export interface StandIn {
  url: string;
  /** Every task created, by id. */
  tasks: Map<string, StandInTask>;
  /** Every JSON-RPC method called, in order. */
  calls: string[];
  /** When each event was written to a stream (performance.now()), by `type:task_id`. */
  emitted: Map<string, number>;
  close(): Promise<void>;
}

const METHODS = ['tasks.create', 'tasks.get', 'tasks.tree', 'tasks.running.status', 'tasks.cancel', 'tasks.execute'];

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const tasks = new Map<string, StandInTask>();
  const calls: string[] = [];
  const emitted = new Map<string, number>();
  const running = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const listeners = new Set<(event: Json) => void>();
  const emit = (event: Json) => {
    emitted.set(`${String(event.type)}:${String(event.task_id)}`, performance.now());
    for (const l of listeners) l(event);
  };

  const finish = (task: StandInTask, status: string, result: unknown, error: string | null) => {
    timers.delete(task.id);
    Object.assign(task, { status, result, error, completed_at: new Date().toISOString(), progress: status === 'completed' ? 1 : task.progress });
    emit(status === 'completed' ? { type: 'task_completed', task_id: task.id, status, result, final: true } : { type: 'task_failed', task_id: task.id, status, error, final: true });
  };

  /** Starts every pending task of the set whose required dependencies completed; ends the tree when none can. */
  const pump = (root: string, members: Set<string>) => {
    for (const id of members) {
      const task = tasks.get(id) as StandInTask;
      if (task.status !== 'pending') continue;
      const deps = task.dependencies.map((d) => ({ ...d, task: tasks.get(d.id) as StandInTask }));
      if (!deps.every((d) => !d.required || d.task.status === 'completed')) continue;
      for (const d of deps) if (d.task.status === 'completed') mergeResult(task, d.id, d.task.result);
      Object.assign(task, { status: 'in_progress', started_at: new Date().toISOString() });
      emit({ type: 'task_start', task_id: id, status: 'in_progress' });
      const sleep = typeof task.inputs.sleep === 'number' ? task.inputs.sleep : 0;
      timers.set(id, setTimeout(() => {
        if (task.status !== 'in_progress') return;
        if (typeof task.inputs.fail === 'string') finish(task, 'failed', null, task.inputs.fail);
        else finish(task, 'completed', (task.schemas as Json | undefined)?.method === 'aggregate_results_executor' ? { results: task.inputs } : { ok: true, task: task.name }, null);
        pump(root, members);
      }, sleep * 1000));
    }
    if (![...members].some((id) => tasks.get(id)?.status === 'in_progress')) {
      running.delete(root);
      emit({ type: 'final', task_id: root, status: tasks.get(root)?.status, final: true });
    }
  };

  const handlers: Record<string, (params: unknown) => unknown> = {
    'tasks.create': (params) => {
      const list = (Array.isArray(params) ? params : [params]) as Json[];
      const roots = list.filter((t) => !t.parent_id);
      if (roots.length !== 1) throw new Error('Multiple root tasks found. All tasks must be in a single task tree. Only one task should have parent_id=None or no parent_id field.');
      for (const t of list) if (tasks.has(String(t.id))) throw new Error(`Task id already exists in database (id: ${String(t.id)}).`);
      const created = list.map((t) => {
        const task: StandInTask = {
          ...t,
          id: String(t.id ?? randomUUID()),
          name: String(t.name),
          parent_id: (t.parent_id as string | undefined) ?? null,
          status: 'pending',
          inputs: (t.inputs as Json | undefined) ?? {},
          result: null,
          error: null,
          progress: 0,
          dependencies: ((t.dependencies as unknown[] | undefined) ?? []).map((d) => (typeof d === 'string' ? { id: d, required: true } : { required: true, ...(d as { id: string }) })),
        };
        tasks.set(task.id, task);
        return task;
      });
      return created.length === 1 ? created[0] : created;
    },
    'tasks.get': (params) => tasks.get(String((params as Json).task_id)) ?? null,
    'tasks.tree': (params) => tree(tasks, String((params as Json).task_id)),
    'tasks.running.status': (params) =>
      ((params as { task_ids: string[] }).task_ids ?? []).map((id) => {
        const t = tasks.get(id);
        return { task_id: id, context_id: id, status: t?.status ?? 'not_found', progress: t?.progress ?? 0, error: t?.error ?? null, is_running: running.has(id), started_at: t?.started_at ?? null };
      }),
    'tasks.cancel': (params) =>
      ((params as { task_ids: string[] }).task_ids ?? []).map((id) => {
        const t = tasks.get(id);
        if (t && (t.status === 'pending' || t.status === 'in_progress')) {
          clearTimeout(timers.get(id));
          Object.assign(t, { status: 'cancelled', error: 'Cancelled by user' });
        }
        return { status: 'cancelled', message: 'Cancelled by user', task_id: id, force: false };
      }),
  };

  const execute = (params: Json, res: ServerResponse, id: unknown) => {
    if (options.executeError) throw new Error(options.executeError);
    const root = String(params.task_id);
    if (!tasks.has(root)) throw new Error(`Task ${root} not found`);
    const members = withDependencies(tasks, root);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id, result: { success: true, protocol: 'jsonrpc', root_task_id: root, task_id: root, status: 'started', streaming: true } })}\n\n`);
    let sent = 0;
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), 100);
    const close = (abrupt: boolean) => {
      listeners.delete(listener);
      clearInterval(keepalive);
      // Once what was written has gone out: the client sees a stream that stops midway.
      if (abrupt) setTimeout(() => res.socket?.destroy(), 50);
      else res.end(`data: ${JSON.stringify({ type: 'stream_end', task_id: root })}\n\n`);
    };
    const listener = (event: Json) => {
      res.write(`data: ${JSON.stringify({ ...event, timestamp: new Date().toISOString() })}\n\n`);
      if (options.dropStreamAfter !== undefined && ++sent >= options.dropStreamAfter) return close(true);
      if (event.final === true && (!options.fullStream || event.type === 'final')) close(false);
    };
    listeners.add(listener);
    running.add(root);
    emit({ type: 'progress', task_id: root, status: 'in_progress', progress: 0, message: 'Task tree execution started' });
    pump(root, members);
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization;
    if (options.token && auth !== `Bearer ${options.token}`) {
      return reply(401, { jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized', data: auth ? 'Invalid or expired JWT token' : 'Missing Authorization header or cookie. Please provide a valid JWT token.' } });
    }
    if (req.method === 'GET' && req.url === '/tasks/methods') {
      if (options.notApflow018) return reply(404, { detail: 'Not Found' });
      return reply(200, { total: METHODS.length, categories: ['task'], methods: { task: METHODS.map((method) => ({ method })) } });
    }
    if (req.method !== 'POST' || req.url !== '/tasks') return reply(404, { detail: 'Not Found' });
    let body = '';
    for await (const chunk of req) body += chunk;
    const call = JSON.parse(body) as { id: unknown; method: string; params: unknown };
    calls.push(call.method);
    try {
      if (call.method === 'tasks.execute') return execute(call.params as Json, res, call.id);
      const handler = handlers[call.method];
      if (!handler) return reply(400, { jsonrpc: '2.0', id: call.id, error: { code: -32601, message: 'Method not found', data: `Unknown task method: ${call.method}` } });
      reply(200, { jsonrpc: '2.0', id: call.id, result: handler(call.params) });
    } catch (error) {
      reply(500, { jsonrpc: '2.0', id: call.id, error: { code: -32603, message: 'Internal error', data: error instanceof Error ? error.message : String(error) } });
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tasks,
    calls,
    emitted,
    close: () => {
      for (const t of timers.values()) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** apflow's merge (task_manager.py, fallback): keyed by the dependency's id for aggregates and non-objects, else merged in. */
function mergeResult(task: StandInTask, depId: string, result: unknown): void {
  const aggregate = (task.schemas as Json | undefined)?.method === 'aggregate_results_executor';
  if (aggregate || typeof result !== 'object' || result === null) task.inputs = { ...task.inputs, [depId]: result };
  else task.inputs = { ...task.inputs, ...(result as Json) };
}

/** The tasks one execution runs: a root's whole tree, or a task with its transitive dependencies. */
function withDependencies(tasks: Map<string, StandInTask>, id: string): Set<string> {
  const task = tasks.get(id) as StandInTask;
  if (task.parent_id === null) return new Set([...tasks.values()].filter((t) => rootOf(tasks, t) === id).map((t) => t.id));
  const members = new Set<string>();
  const stack = [id];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (members.has(next)) continue;
    members.add(next);
    stack.push(...(tasks.get(next)?.dependencies.map((d) => d.id) ?? []));
  }
  return members;
}

function rootOf(tasks: Map<string, StandInTask>, task: StandInTask): string {
  let t = task;
  while (t.parent_id !== null) t = tasks.get(t.parent_id) as StandInTask;
  return t.id;
}

function tree(tasks: Map<string, StandInTask>, id: string): Json | null {
  const task = tasks.get(id);
  if (!task) return null;
  return { task, children: [...tasks.values()].filter((t) => t.parent_id === id).map((t) => tree(tasks, t.id)) };
}
