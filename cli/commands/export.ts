// `apflow-yaml export FILE [--out PATH] [--json]` (spec 3.10, 6.1): the apflow JSON task array, or the
// errors that would make apflow refuse the file.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeFile, formatDiagnosticLine } from '../../analysis';
import { discoveredEnv } from '../../analysis/python/node';
import { apflowTaskArray } from '../../runtime';
import { parseCommandArgs, readTreeFile } from '../command-args';
import { UsageError, type Command } from '../io';
import { diagnosticJson, displayPath } from './validate';

export const exportCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('give exactly one task tree file to export');
  const { file, text } = readTreeFile(io.cwd, positionals[0]);
  const { diagnostics, model } = analyzeFile(text, file, await discoveredEnv([resolve(io.cwd, file)], io.cwd));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = displayPath(io.cwd, file);
  if (errors.length > 0) {
    if (values.json) io.stdout.write(`${JSON.stringify({ exported: false, diagnostics: errors.map(diagnosticJson) }, null, 2)}\n`);
    for (const d of errors) io.stderr.write(`${formatDiagnosticLine(shown, d)}\n`);
    io.stderr.write(`not exported: apflow would refuse ${shown} (${errors.length} error(s))\n`);
    return 1;
  }
  const json = `${JSON.stringify(apflowTaskArray(model), null, 2)}\n`;
  if (values.out === undefined) {
    io.stdout.write(json);
  } else {
    writeFileSync(resolve(io.cwd, values.out), json);
    io.stderr.write(`exported ${model.tasks.length} task(s) to ${values.out}\n`);
  }
  return 0;
};
