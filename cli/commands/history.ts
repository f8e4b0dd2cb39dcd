// `apflow-yaml history [--limit N] [--file FILE] [--history PATH] [--json]` (spec 6.1): runs, newest first.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunSummary } from '../../runtime';
import { parseCommandArgs, positiveInteger } from '../command-args';
import { historyPath } from '../history-option';
import { EXIT_USAGE, UsageError, type Command } from '../io';
import { formatDuration } from '../progress';
import { runJson } from '../run-json';
import { withHistory } from '../read-history';
import { displayPath } from './validate';

const DEFAULT_LIMIT = 20;

export const historyCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, {
    limit: { type: 'string' },
    file: { type: 'string' },
    history: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const limit = values.limit === undefined ? DEFAULT_LIMIT : positiveInteger('--limit', values.limit);
  const path = historyPath(io, values.history);
  const file = values.file === undefined ? undefined : resolve(io.cwd, values.file);
  const runs = existsSync(path) ? await withHistory(io, path, (h) => h.listRuns({ limit, file })) : [];
  if (runs === null) return EXIT_USAGE;
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ runs: runs.map((r) => runJson(r, io.cwd)) }, null, 2)}\n`);
  } else if (runs.length === 0) {
    io.stdout.write(`no runs in ${displayPath(io.cwd, path)}\n`);
  } else {
    for (const run of runs) io.stdout.write(`${line(run, io.cwd)}\n`);
  }
  return 0;
};

function line(run: RunSummary, cwd: string): string {
  const started = new Date(run.started_at).toISOString().replace('T', ' ').slice(0, 19);
  const duration = run.finished_at === null ? 'running' : formatDuration(run.finished_at - run.started_at);
  const c = run.counts;
  const counts = `${c.completed}/${c.completed + c.failed + c.cancelled + c.pending + c.in_progress} completed${c.failed ? `, ${c.failed} failed` : ''}${c.blocked ? `, ${c.blocked} blocked` : ''}${c.cancelled ? `, ${c.cancelled} cancelled` : ''}`;
  return `${run.id.slice(0, 8)}  ${started}  ${run.status.padEnd(9)}  ${run.trigger.padEnd(8)}  ${duration.padStart(9)}  ${counts}  ${displayPath(cwd, run.file)}`;
}
