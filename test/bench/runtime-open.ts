// Child program of the runtime benchmark: opens a new history once, in a fresh process (so that
// sql.js is loaded and compiled from scratch), and prints how long that took in milliseconds.
//   node <bundle of this file> local|worker PATH
import { LocalHistory } from '../../runtime/history/local';
import { WorkerHistory } from '../../runtime/history/worker-client';

async function main(mode: string, path: string): Promise<void> {
  const start = performance.now();
  const history = mode === 'worker' ? await WorkerHistory.open({ path, mode: 'write' }) : await LocalHistory.open({ path, mode: 'write' });
  const opened = performance.now() - start;
  await history.close();
  process.stdout.write(`${opened}\n`);
}

// Inside a history worker this bundle is loaded only to serve the worker (see worker-main.ts).
if (require.main === module) void main(process.argv[2], process.argv[3]);
