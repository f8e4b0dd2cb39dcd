// `apflow-yaml retry [RUN_ID | --last] [--history PATH] [--concurrency N] [--json]` (spec 6.1, 3.6):
// a new run, linked to the failed or cancelled one, that re-runs only what did not complete unchanged.
import { existsSync, readFileSync } from 'node:fs';
import { HistoryError, privateUrlsAllowed, WorkerHistory } from '../../runtime';
import { parseCommandArgs, positiveInteger } from '../command-args';
import { historyPath } from '../history-option';
import { EXIT_USAGE, UsageError, type Command } from '../io';
import { pythonOption, runSession } from '../run-session';
import { SERVER_OPTIONS, serverChoice, serverLaunch } from '../server-option';
import { displayPath } from './validate';

export const retryCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, {
    last: { type: 'boolean' },
    history: { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'boolean' },
    python: { type: 'string' },
    ...SERVER_OPTIONS,
  });
  if (positionals.length > 1 || (positionals.length === 1) === (values.last === true)) {
    throw new UsageError('give the id of the run to retry, or --last for the newest failed or cancelled run');
  }
  const concurrency = values.concurrency === undefined ? undefined : positiveInteger('--concurrency', values.concurrency);
  const path = historyPath(io, values.history);
  if (!existsSync(path)) throw new UsageError(`there is no run history at ${displayPath(io.cwd, path)}; run a tree first`);

  let history: WorkerHistory;
  try {
    history = await WorkerHistory.open({ path, mode: 'write' });
  } catch (error) {
    if (!(error instanceof HistoryError)) throw error;
    io.stderr.write(`apflow-yaml retry: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const refuse = async (message: string) => {
    await history.close();
    io.stderr.write(`apflow-yaml retry: ${message}\n`);
    return EXIT_USAGE;
  };
  const earlier = values.last ? await history.latestRetryable() : await history.findRun(positionals[0]);
  if (!earlier) return refuse(values.last ? 'no failed or cancelled run to retry' : `no run '${positionals[0]}' in ${displayPath(io.cwd, path)}`);
  if (earlier.status !== 'failed' && earlier.status !== 'cancelled') {
    return refuse(`run ${earlier.id} ${earlier.status === 'running' ? 'is still running' : 'completed'}; only a failed or cancelled run can be retried`);
  }
  let text: string;
  try {
    text = readFileSync(earlier.file, 'utf8');
  } catch {
    return refuse(`the tree file ${displayPath(io.cwd, earlier.file)} of run ${earlier.id} cannot be read any more`);
  }
  const tasks = await history.tasksOf(earlier.id);
  // A run on a server is retried on the same server (or the one --server names).
  const server = serverChoice(values, earlier.server);
  return runSession(io, {
    request: { text, file: earlier.file, env: io.env, allowPrivateUrls: privateUrlsAllowed(io.env), retryOf: { run: earlier, tasks }, python: pythonOption(io, values.python, earlier.file) },
    history: Promise.resolve(history),
    concurrency,
    json: values.json === true,
    launch: server ? serverLaunch(io, server, { text, file: earlier.file, retryOf: { run: earlier, tasks } }) : undefined,
  });
};
