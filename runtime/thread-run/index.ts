// A run in a worker thread, for hosts whose own thread must stay free (the VS Code extension host):
// launchInThread prepares it there, and the ThreadRun it returns is a LiveRun like the embedded one.
// worker.ts is its other side, loaded by the worker from the entry the host names.
export { launchInThread, ThreadRun, type ThreadLaunch } from './thread-run';
export type { ThreadRunRequest } from './protocol';
