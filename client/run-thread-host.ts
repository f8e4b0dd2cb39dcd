// How the extension runs a tree on this machine, built as its own small bundle (dist/run-thread-host.js,
// see esbuild.mjs): the pre-flight and the run happen in a worker thread that loads the runtime's
// bundle (dist/runtime-host.js), and the extension host holds only copies of the run's records, kept up
// to date from its events. Parsing and checking a 5,000-task tree and scheduling its tasks never block
// the extension host. The history recorder runs here, on those events. Nothing here imports `vscode`.
import { join } from 'node:path';
import { RunRecorder, type History } from '../runtime/history';
import { launchInThread, type ThreadLaunch, type ThreadRunRequest } from '../runtime/thread-run';
import type { LiveRun } from '../runtime';

export type { ThreadLaunch, ThreadRunRequest };

export interface RunThreadHost {
  /** Spec 3.1 in a worker thread, then the run there, ready to start. Rejects only on a bug. */
  launch(request: ThreadRunRequest, note: (line: string) => void): Promise<ThreadLaunch>;
  record(history: History, run: LiveRun): { written(): Promise<void> };
}

export const runThreadHost: RunThreadHost = {
  // The runtime's bundle serves a run worker when loaded in one (runtime-host.ts imports its side).
  launch: (request, note) => launchInThread(request, join(__dirname, 'runtime-host.js'), note),
  record: (history, run) => new RunRecorder(history, run),
};
