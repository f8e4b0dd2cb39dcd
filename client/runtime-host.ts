// Everything of the runtime the extension uses to run a tree, built as its own bundle
// (dist/runtime-host.js, see esbuild.mjs) that the extension requires when a run starts (or a tree is
// exported): the runtime and the analysis its pre-flight runs never load before, and neither is in
// dist/client.js. The history has its own bundle (history-host.ts). Nothing here imports `vscode`.
import { analyzeFile } from '../analysis';
import { hostTarget, nodeEnvFor } from '../analysis/node-env';
import type { Diagnostic } from '../analysis';
import { apflowTaskArray, connectServer, prepareRun, prepareServerRun, RunRecorder, runTestFile, ServerError, ServerRun, TaskRun, UnknownTaskError, type History, type JsonObject, type LiveRun, type Preflight, type RunOptions, type RunPlan, type RunRequest, type ServerEndpoint, type ServerRunRequest, type TestFileOptions, type TestFileReport } from '../runtime';

import type { QueuedPlan, QueueTarget } from '../runtime/queue';
// In a run worker thread (run-thread-host.ts starts them on this bundle), this serves the run.
import '../runtime/thread-run/worker';

export type { Preflight, QueuedPlan, QueueTarget, RunRequest, ServerEndpoint, ServerRunRequest, TestFileReport };

/** A run on an apflow server, ready to start; or why not (`auth`: the server refused the token). */
export type ServerLaunch = { kind: 'ready'; run: LiveRun } | { kind: 'refused'; diagnostics: Diagnostic[] } | { kind: 'error'; message: string; auth: boolean };

export interface RuntimeHost {
  prepare(request: RunRequest): Promise<Preflight>;
  isUnknownTask(error: unknown): boolean;
  createRun(plan: RunPlan, options: RunOptions): TaskRun;
  record(history: History, run: LiveRun): { written(): Promise<void> };
  /** Issue 15: the server pre-flight (the file's refusals, then the server and its token), and the run. */
  launchOnServer(request: ServerRunRequest, endpoint: ServerEndpoint): Promise<ServerLaunch>;
  /** Spec 3.10: the apflow task array, or the errors that make apflow refuse the file. */
  exportTree(text: string, file: string, target?: string | null): { ok: true; tasks: JsonObject[] } | { ok: false; errors: ReturnType<typeof analyzeFile>['diagnostics'] };
  /** Runs a tree-test file's cases (all, or `options.only`) on the embedded runtime (issue 14). */
  runTests(file: string, text: string, options: TestFileOptions): Promise<TestFileReport>;
  /** `apflow.run.redis` (issue 15): the plan with its executor calls dispatched to queue workers; rejects with a message for the user. */
  queue(target: QueueTarget, plan: RunPlan): Promise<QueuedPlan>;
}

export const runtimeHost: RuntimeHost = {
  prepare: (request) => prepareRun(request),
  isUnknownTask: (error) => error instanceof UnknownTaskError,
  createRun: (plan, options) => new TaskRun(plan, options),
  record: (history, run) => new RunRecorder(history, run),
  async launchOnServer(request, endpoint) {
    const preflight = await prepareServerRun(request);
    if (!preflight.ok) return { kind: 'refused', diagnostics: preflight.diagnostics };
    try {
      const client = await connectServer(endpoint);
      return { kind: 'ready', run: new ServerRun(preflight.plan, preflight.submission, client) };
    } catch (error) {
      if (error instanceof ServerError) return { kind: 'error', message: error.message, auth: error.kind === 'auth' };
      throw error;
    }
  },
  exportTree(text, file, target) {
    const { diagnostics, model } = analyzeFile(text, file, nodeEnvFor(hostTarget(target)));
    const errors = diagnostics.filter((d) => d.severity === 'error');
    return errors.length > 0 ? { ok: false, errors } : { ok: true, tasks: apflowTaskArray(model) };
  },
  runTests: (file, text, options) => runTestFile(file, text, options),
  // BullMQ and ioredis load only when a run uses a queue.
  queue: async (target, plan) => (await import('../runtime/queue')).queuePlan(target, plan),
};
