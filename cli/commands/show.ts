// `apflow-yaml show RUN_ID [--history PATH] [--json]` (spec 6.1): one run with its tasks.
import { existsSync } from 'node:fs';
import { unreadableFields } from '../../runtime';
import { parseCommandArgs } from '../command-args';
import { historyPath } from '../history-option';
import { EXIT_USAGE, UsageError, type Command } from '../io';
import { formatDuration, taskState } from '../progress';
import { withHistory } from '../read-history';
import { runDocument } from '../run-json';
import { displayPath } from './validate';

export const showCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, { history: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('give the id of one run (see apflow-yaml history)');
  const path = historyPath(io, values.history);
  const found = existsSync(path)
    ? await withHistory(io, path, async (h) => {
        const run = await h.findRun(positionals[0]);
        return { run, tasks: run ? await h.tasksOf(run.id) : [] };
      })
    : { run: null, tasks: [] };
  if (found === null) return EXIT_USAGE;
  const { run, tasks } = found;
  if (!run) {
    io.stderr.write(`apflow-yaml show: no run '${positionals[0]}' in ${displayPath(io.cwd, path)} (see apflow-yaml history)\n`);
    return EXIT_USAGE;
  }
  if (values.json) {
    io.stdout.write(runDocument(run, tasks, io.cwd));
    return 0;
  }
  const duration = run.finished_at === null ? 'still running' : formatDuration(run.finished_at - run.started_at);
  const lines = [
    `run ${run.id} ${run.status} (${run.trigger}${run.parent_run_id ? ` of ${run.parent_run_id}` : ''}), ${duration}`,
    `file: ${displayPath(io.cwd, run.file)}`,
    `started: ${new Date(run.started_at).toISOString()}`,
  ];
  if (run.error) lines.push(`error: ${run.error}`);
  const width = Math.max(4, ...tasks.map((t) => t.id.length));
  for (const t of tasks) {
    const s = taskState(t);
    const unreadable = unreadableFields(t);
    const marks = `${t.origin_type === 'link' ? '(carried over) ' : ''}${unreadable.length ? `(unreadable in the history: ${unreadable.join(', ')}) ` : ''}`;
    lines.push(`  ${t.id.padEnd(width)}  ${s.status.padEnd(11)}  ${s.duration.padStart(9)}  ${marks}${s.detail}`.trimEnd());
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
