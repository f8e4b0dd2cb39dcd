// `validate --format github`: GitHub Actions workflow commands, which the runner turns into annotations
// on the pull request (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
import type { Diagnostic, Severity } from '../../analysis';
import { countsOf, summaryLine, type FileReport } from './report';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** A command's message: the runner reads `%`, CR and LF as escapes (as @actions/core writes them). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which would end the property. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`, 1-based, the end column inclusive. */
export function workflowCommand(path: string, d: Diagnostic): string {
  const { start, end } = d.range;
  const properties = [
    ['file', path],
    ['line', String(start.line + 1)],
    ['col', String(start.character + 1)],
    ['endLine', String(end.line + 1)],
    // The last character covered: the 0-based exclusive end is that character's 1-based column.
    ['endColumn', String(Math.max(end.character, end.line === start.line ? start.character + 1 : 1))],
    ['title', d.code],
  ];
  return `::${COMMAND[d.severity]} ${properties.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',')}::${escapeData(d.message)}`;
}

export function githubReport(files: readonly FileReport[]): string {
  const lines = files.flatMap((f) => f.diagnostics.map((d) => workflowCommand(f.path, d)));
  lines.push(summaryLine(countsOf(files), files.length));
  return `${lines.join('\n')}\n`;
}
