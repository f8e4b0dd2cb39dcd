// The runtime and the analysis its pre-flight runs, built as their own bundle (dist/runtime-host.js, see
// esbuild.mjs): neither is in dist/client.js. A local run loads it in a worker thread (run-thread-host.ts);
// the extension requires it itself only to run a tree on an apflow server, export a tree or run tree
// tests. The history has its own bundle (history-host.ts). Nothing here imports `vscode`.
import { analyzeFile } from '../analysis';
import { hostTarget, nodeEnvFor } from '../analysis/node-env';
import type { Diagnostic } from '../analysis';
import { apflowTaskArray, connectServer, prepareServerRun, runTestFile, ServerError, ServerRun, UnknownTaskError, type JsonObject, type LiveRun, type RunRequest, type ServerEndpoint, type ServerRunRequest, type TestFileOptions, type TestFileReport } from '../runtime';

import type { QueueTarget } from '../runtime/queue';
// In a run worker thread (run-thread-host.ts starts them on this bundle), this serves the run.
import '../runtime/thread-run/worker';

export type { QueueTarget, RunRequest, ServerEndpoint, ServerRunRequest, TestFileReport };

/** A run on an apflow server, ready to start; or why not (`auth`: the server refused the token). */
export type ServerLaunch = { kind: 'ready'; run: LiveRun } | { kind: 'refused'; diagnostics: Diagnostic[] } | { kind: 'error'; message: string; auth: boolean };

export interface RuntimeHost {
  isUnknownTask(error: unknown): boolean;
  /** Issue 15: the server pre-flight (the file's refusals, then the server and its token), and the run. */
  launchOnServer(request: ServerRunRequest, endpoint: ServerEndpoint): Promise<ServerLaunch>;
  /** Spec 3.10: the apflow task array, or the errors that make apflow refuse the file. */
  exportTree(text: string, file: string, target?: string | null): { ok: true; tasks: JsonObject[] } | { ok: false; errors: ReturnType<typeof analyzeFile>['diagnostics'] };
  /** Runs a tree-test file's cases (all, or `options.only`) on the embedded runtime (issue 14). */
  runTests(file: string, text: string, options: TestFileOptions): Promise<TestFileReport>;
}

export const runtimeHost: RuntimeHost = {
  isUnknownTask: (error) => error instanceof UnknownTaskError,
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
};
