// `apflow-yaml export FILE [--out PATH] [--json] [--target 0.18|0.20]` (spec 3.10, 6.1): the apflow
// JSON task array for the file's target line, or the errors that would make apflow refuse the file.
// What the array leaves out is said on stderr.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeFile, formatDiagnosticLine } from '../../analysis';
import { discoveredEnv } from '../../analysis/python/node';
import { apflowExport, fsReason, type LeftOut } from '../../runtime';
import { parseCommandArgs, readTreeFile, TARGET_OPTION, targetOption } from '../command-args';
import { UsageError, type Command } from '../io';
import { diagnosticJson, displayPath } from './validate';

export const exportCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, json: { type: 'boolean' }, ...TARGET_OPTION });
  if (positionals.length !== 1) throw new UsageError('give exactly one task tree file to export');
  const target = targetOption(values.target);
  const { file, text } = readTreeFile(io.cwd, positionals[0]);
  const { env, prepare } = await discoveredEnv([resolve(io.cwd, file)], io.cwd);
  await prepare(text);
  const { diagnostics, model } = analyzeFile(text, file, target ? { ...env, target } : env);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = displayPath(io.cwd, file);
  if (errors.length > 0) {
    if (values.json) io.stdout.write(`${JSON.stringify({ exported: false, diagnostics: errors.map(diagnosticJson) }, null, 2)}\n`);
    for (const d of errors) io.stderr.write(`${formatDiagnosticLine(shown, d)}\n`);
    io.stderr.write(`not exported: apflow would refuse ${shown} (${errors.length} error(s))\n`);
    return 1;
  }
  const exported = apflowExport(model);
  for (const left of exported.leftOut) io.stderr.write(`${leftOutLine(left, model.target)}\n`);
  const json = `${JSON.stringify(exported.tasks, null, 2)}\n`;
  if (values.out === undefined) {
    io.stdout.write(json);
  } else {
    try {
      writeFileSync(resolve(io.cwd, values.out), json);
    } catch (error) {
      throw new UsageError(`cannot write ${values.out}: ${fsReason(error, true)}`);
    }
    io.stderr.write(`exported ${model.tasks.length} task(s) for apflow ${model.target} to ${values.out}\n`);
  }
  return 0;
};

const WHY: Record<LeftOut['reason'], (target: string) => string> = {
  runtime: () => 'a runtime field: apflow would take it as the task’s state (a completed task is skipped)',
  target: (target) => `apflow ${target} has no such field`,
  extension: () => 'read only by this runtime',
};

function leftOutLine(left: LeftOut, target: string): string {
  const shown = left.tasks.length > 5 ? `${left.tasks.slice(0, 5).map((t) => `'${t}'`).join(', ')} and ${left.tasks.length - 5} more` : left.tasks.map((t) => `'${t}'`).join(', ');
  return `left out \`${left.key}\` of ${left.tasks.length === 1 ? 'task' : 'tasks'} ${shown}: ${WHY[left.reason](target)}`;
}
