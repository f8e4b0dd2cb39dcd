// Everything of the runtime the extension uses to run a tree, built as its own bundle
// (dist/runtime-host.js, see esbuild.mjs) that the extension requires when a run starts (or a tree is
// exported): the runtime and the analysis its pre-flight runs never load before, and neither is in
// dist/client.js. The history has its own bundle (history-host.ts). Nothing here imports `vscode`.
import { analyzeFile } from '../analysis';
import { hostTarget, nodeEnvFor } from '../analysis/node-env';
import type { PythonEnvironmentParams } from '../protocol';
import { apflowTaskArray, prepareRun, probeInterpreter, resolveInterpreter, RunRecorder, TaskRun, UnknownTaskError, type History, type JsonObject, type Preflight, type PythonRequest, type RunOptions, type RunPlan, type RunRequest } from '../runtime';

import type { QueuedPlan, QueueTarget } from '../runtime/queue';

export type { Preflight, QueuedPlan, QueueTarget, RunRequest };

export interface RuntimeHost {
  prepare(request: RunRequest): Promise<Preflight>;
  isUnknownTask(error: unknown): boolean;
  createRun(plan: RunPlan, options: RunOptions): TaskRun;
  record(history: History, run: TaskRun): { written(): Promise<void> };
  /** Spec 3.10: the apflow task array, or the errors that make apflow refuse the file. */
  exportTree(text: string, file: string, target?: string | null): { ok: true; tasks: JsonObject[] } | { ok: false; errors: ReturnType<typeof analyzeFile>['diagnostics'] };
  /** `host.py --probe` in the interpreter runs would use for a tree in `treeDir`; null when it cannot run. */
  probePython(choice: PythonRequest, treeDir: string): Promise<PythonEnvironmentParams | null>;
  /** `apflow.run.redis` (issue 15): the plan with its executor calls dispatched to queue workers; rejects with a message for the user. */
  queue(target: QueueTarget, plan: RunPlan): Promise<QueuedPlan>;
}

export const runtimeHost: RuntimeHost = {
  prepare: (request) => prepareRun(request),
  isUnknownTask: (error) => error instanceof UnknownTaskError,
  createRun: (plan, options) => new TaskRun(plan, options),
  record: (history, run) => new RunRecorder(history, run),
  exportTree(text, file, target) {
    const { diagnostics, model } = analyzeFile(text, file, nodeEnvFor(hostTarget(target)));
    const errors = diagnostics.filter((d) => d.severity === 'error');
    return errors.length > 0 ? { ok: false, errors } : { ok: true, tasks: apflowTaskArray(model) };
  },
  async probePython(choice, treeDir) {
    const folders = choice.workspaceDir ? [choice.workspaceDir, treeDir] : [treeDir];
    const { path } = resolveInterpreter({ explicit: choice.interpreter, folders, selected: choice.selected });
    const probe = await probeInterpreter(path);
    return probe instanceof Error ? null : { interpreter: path, apflow: probe.apflow, executors: probe.executors };
  },
  // BullMQ and ioredis load only when a run uses a queue.
  queue: async (target, plan) => (await import('../runtime/queue')).queuePlan(target, plan),
};
