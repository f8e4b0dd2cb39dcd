// Opening the history for a read-only command (history, show): on this thread, without waiting for
// a writer — a run in progress elsewhere is shown as it was last written.
import { HistoryError, LocalHistory, type History } from '../runtime';
import type { CliIo } from './io';

/** The result of `read`, or null when the history cannot be used (the reason is printed). */
export async function withHistory<T>(io: CliIo, path: string, read: (history: History) => Promise<T>): Promise<T | null> {
  let history: LocalHistory;
  try {
    history = await LocalHistory.open({ path, mode: 'read' });
  } catch (error) {
    if (!(error instanceof HistoryError)) throw error;
    io.stderr.write(`apflow-yaml: ${error.message}\n`);
    return null;
  }
  for (const warning of history.warnings) io.stderr.write(`${warning}\n`);
  try {
    return await read(history);
  } finally {
    await history.close();
  }
}
