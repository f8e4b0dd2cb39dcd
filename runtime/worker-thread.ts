// Starting one of the runtime's worker threads (the history's, workspace executors'). Every worker loads
// the same entry file, which serves whichever role its workerData names (see history/worker-main.ts).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { workerEntry } from './history/worker-main';

// Loads the entry as a plain module (eval: true): a worker started on the bundle file itself would make
// it the main module and run the CLI a second time.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.register) require(workerData.register);
require(workerData.entry);
`;

/** What every worker is given besides its role's own data. */
export interface WorkerBase {
  entry: string;
  register: string | null;
}

/** Starts a worker on `entry` (by default the runtime's small worker bundle, see history/worker-main.ts). */
export function startWorker<T extends object>(data: T, entry: string = workerEntry()): Worker {
  const base: WorkerBase = {
    entry,
    // Running from TypeScript sources (tests): the worker needs the same on-the-fly compiler. (A bundle
    // never takes this branch; createRequire keeps the bundler from looking for the package.)
    register: entry.endsWith('.ts') ? createRequire(__filename).resolve('esbuild-register') : null,
  };
  return new Worker(BOOTSTRAP, { eval: true, workerData: { ...base, ...data } });
}
