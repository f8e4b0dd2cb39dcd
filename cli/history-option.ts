// Where the CLI keeps its history (spec 6.4): `.apflow/history.sqlite` under the current directory,
// unless --history names another file.
import { join, resolve } from 'node:path';
import type { CliIo } from './io';

export const DEFAULT_HISTORY = join('.apflow', 'history.sqlite');

export function historyPath(io: CliIo, given: string | undefined): string {
  return resolve(io.cwd, given ?? DEFAULT_HISTORY);
}
