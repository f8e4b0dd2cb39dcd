// `apflow-yaml run FILE [--task ID] [--concurrency N] [--history PATH | --no-history] [--python PATH] [--json]
// [--target 0.18|0.20] [--server URL [--token-env VAR] | --redis URL [--queue NAME]]` (spec 6.1; --python: issue 12; --target: issue 11;
// --redis: issue 15, the tasks run on `apflow-yaml worker` processes).
import { privateUrlsAllowed, WorkerHistory } from '../../runtime';
import { historyPath } from '../history-option';
import { UsageError, type Command } from '../io';
import { parseCommandArgs, positiveInteger, readTreeFile, TARGET_OPTION, targetOption } from '../command-args';
import { pythonOption, runSession } from '../run-session';
import { SERVER_OPTIONS, serverChoice, serverLaunch } from '../server-option';
import { redisOption, REDIS_OPTIONS } from '../redis-option';

export const runCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, {
    task: { type: 'string' },
    concurrency: { type: 'string' },
    history: { type: 'string' },
    'no-history': { type: 'boolean' },
    json: { type: 'boolean' },
    ...TARGET_OPTION,
    python: { type: 'string' },
    ...SERVER_OPTIONS,
    ...REDIS_OPTIONS,
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one task tree file to run');
  if (values.queue !== undefined && values.redis === undefined) throw new UsageError('--queue names a queue on Redis: give --redis URL too');
  if (values.history !== undefined && values['no-history']) throw new UsageError('use either --history PATH or --no-history, not both');
  const target = targetOption(values.target);
  const concurrency = values.concurrency === undefined ? undefined : positiveInteger('--concurrency', values.concurrency);
  const { file, text } = readTreeFile(io.cwd, positionals[0]);
  const server = serverChoice(values);
  if (server && values.redis !== undefined) throw new UsageError('--server runs the tree on an apflow server and --redis on queue workers: give one of them');
  const history = values['no-history'] ? null : WorkerHistory.open({ path: historyPath(io, values.history), mode: 'write' });
  return runSession(io, {
    request: { text, file, env: io.env, allowPrivateUrls: privateUrlsAllowed(io.env), task: values.task, target, python: pythonOption(io, values.python, file) },
    history,
    concurrency,
    json: values.json === true,
    launch: server ? serverLaunch(io, server, { text, file, target, task: values.task }) : undefined,
    queue: redisOption(io, values) ?? undefined,
  });
};
