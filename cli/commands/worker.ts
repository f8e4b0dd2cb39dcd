// `apflow-yaml worker [--redis URL] [--concurrency N] [--queue NAME] [--python PATH]` (issue 15,
// docs/workers.md): takes the tasks coordinators queue on Redis and runs them with this checkout's
// executors until SIGINT or SIGTERM (a second one stops the running tasks; BullMQ queues them again).
import { privateUrlsAllowed } from '../../runtime';
import { UsageError, type Command } from '../io';
import { parseCommandArgs, positiveInteger } from '../command-args';
import { pythonOption } from '../run-session';
import { redisOption, REDIS_OPTIONS } from '../redis-option';

const DEFAULT_CONCURRENCY = 10;

export const workerCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, {
    ...REDIS_OPTIONS,
    concurrency: { type: 'string' },
    python: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`a worker takes no file (it runs what coordinators queue): remove '${positionals[0]}'`);
  const target = redisOption(io, values);
  if (!target) throw new UsageError('give the Redis to take tasks from: --redis redis://HOST:PORT (its password may come from APFLOW_REDIS_PASSWORD)');
  const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : positiveInteger('--concurrency', values.concurrency);
  const { QueueWorker, QueueSetupError, redactedUrl } = await import('../../runtime/queue');
  let worker;
  try {
    worker = await QueueWorker.start({
      ...target,
      concurrency,
      workspaceDir: io.cwd,
      env: io.env,
      allowPrivateUrls: privateUrlsAllowed(io.env),
      python: pythonOption(io, values.python),
      report: (line) => io.stderr.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof QueueSetupError) throw new UsageError(error.message);
    throw error;
  }
  io.stderr.write(`worker ${worker.name} takes tasks from queue '${target.queue}' on ${redactedUrl(target.redis)} (concurrency ${concurrency}, workspace ${io.cwd}); Ctrl+C stops it\n`);
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const stopped = await new Promise<NodeJS.Signals>((resolve) => {
    let count = 0;
    const stop = (signal: NodeJS.Signals) => {
      count++;
      if (count === 1) {
        io.stderr.write(`${signal}: the worker takes no more tasks and waits for its running ones (again: stop them now)\n`);
        void worker.close().then(() => resolve(signal));
      } else void worker.close(true).then(() => resolve(signal));
    };
    for (const signal of signals) process.on(signal, stop);
  });
  io.stderr.write(`worker ${worker.name} stopped (${stopped})\n`);
  return 0;
};
