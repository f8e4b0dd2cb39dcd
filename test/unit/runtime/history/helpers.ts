// Shared by the history tests: temporary folders and a quick way to record a finished run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { History } from '../../../../runtime/history/history';
import { RunRecorder } from '../../../../runtime/history/recorder';
import { TaskRun, type RunResult } from '../../../../runtime/run';
import { planOf, type FixtureTask } from '../fixtures';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'apflow-history-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a fixture tree while recording it, and waits until the run is in the file. */
export async function recordRun(history: History, tasks: FixtureTask[] = [{ id: 'root', deps: ['a'] }, { id: 'a' }]): Promise<RunResult> {
  const run = new TaskRun(planOf(tasks));
  const recorder = new RunRecorder(history, run);
  const result = await run.start();
  await recorder.written();
  return result;
}

export const fastTiming = { intervalMs: 60 };
