// A process that records a run which never finishes, for the crash-recovery test to SIGKILL.
//   node -r esbuild-register crash-child.ts HISTORY_PATH
import { RunRecorder } from '../../../../runtime/history/recorder';
import { WorkerHistory } from '../../../../runtime/history/worker-client';
import { TaskRun } from '../../../../runtime/run';
import { planOf } from '../fixtures';

async function main(path: string): Promise<void> {
  const history = await WorkerHistory.open({ path, mode: 'write', timing: { intervalMs: 100 } });
  const run = new TaskRun(
    planOf([
      { id: 'root', deps: ['slow', 'quick'] },
      { id: 'quick' },
      { id: 'slow', run: () => new Promise(() => undefined) },
    ]),
  );
  new RunRecorder(history, run);
  void run.start();
  process.stdout.write(`${run.record.id}\n`);
}

void main(process.argv[2]);
