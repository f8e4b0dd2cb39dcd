// `missing-timeout` (guide: "Handle Timeouts"): a task whose executor waits on the outside world — a
// process, the network, a server — without a timeout of its own. A built-in executor with a `timeout`
// input falls back to its default; a workspace executor has no limit unless the task sets `timeout`.
// Built-ins without a `timeout` input are left alone: there is nothing the file could set.
import { catalogueEntry } from '../catalogue';
import { finding, type Finding, type FixSpec } from '../findings';
import type { TaskFacts } from '../task-facts';
import { keyOf, ownerOf, type GraphContext } from './context';

/** Built-ins that only compute or read this machine's state: they never wait on anything. */
const NO_IO = new Set(['aggregate_results_executor', 'system_info_executor']);

/** Seconds the task-level fix proposes for a workspace executor (the built-ins' usual default). */
const WORKSPACE_TIMEOUT = 30;

function advice(task: TaskFacts, i: number, workspace: ReadonlySet<string>, tasks: readonly TaskFacts[]): { message: string; fix: FixSpec } | null {
  const executor = task.executor;
  if (executor === null || task.hasTimeout) return null;
  const who = `task '${keyOf(tasks, i)}'`;
  if (workspace.has(executor)) {
    return {
      message: `${who} runs the workspace executor \`${executor}\` without a timeout: nothing stops it if it hangs. Set \`timeout\` to the seconds it may take`,
      fix: { kind: 'add-key', title: `Add \`timeout: ${WORKSPACE_TIMEOUT}\``, task: i, key: 'timeout', value: String(WORKSPACE_TIMEOUT), number: true },
    };
  }
  const fallback = NO_IO.has(executor) ? undefined : catalogueEntry(executor)?.inputSchema.properties.timeout?.default;
  if (typeof fallback !== 'number') return null;
  return {
    message: `${who} runs \`${executor}\` without a timeout: it waits up to the executor's default of ${fallback} s. Set \`inputs.timeout\` to the seconds this call may take`,
    fix: { kind: 'add-inputs', title: `Add \`timeout: ${fallback}\` to the inputs`, task: i, entries: [{ key: 'timeout', value: String(fallback) }] },
  };
}

export function timeoutFindings(ctx: GraphContext): Finding[] {
  const { tasks } = ctx;
  const workspace = new Set(ctx.header.executors.map((d) => d.id));
  const out: Finding[] = [];
  tasks.forEach((task, i) => {
    const found = advice(task, i, workspace, tasks);
    if (found) out.push(finding('missing-timeout', found.message, { task: i, slot: 'executor' }, ownerOf(tasks, i), { fixes: [found.fix] }));
  });
  return out;
}
