// `validate --format text` (the default, spec 6.2): `path:line:col: severity code: message`, then the
// source line with a caret under the diagnostic's range, as compilers and linters print them.
import { formatDiagnosticLine, lineStarts, type Diagnostic, type Severity } from '../../analysis';
import { cellsOf, printable } from './columns';
import { countsOf, summaryLine, type FileReport } from './report';

/** Beyond this many cells an excerpt is cut around the caret (a minified JSON file is one line). */
const MAX_WIDTH = 120;
/** How much of the line before the caret a cut excerpt keeps. */
const LEAD = 40;

const SGR: Record<Severity | 'dim', string> = { error: '31', warning: '33', information: '36', hint: '2', dim: '2' };

type Paint = (style: keyof typeof SGR, text: string) => string;
const plain: Paint = (_style, text) => text;
const ansi: Paint = (style, text) => `\x1b[${SGR[style]}m${text}\x1b[0m`;

/** Colour only for a person at a terminal: never in a pipe or a CI log file, never with NO_COLOR (no-color.org). */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

interface Excerpt {
  source: string;
  caret: string;
}

/** A cut in the middle of a surrogate pair would print half a character: move it to the pair's start. */
function pairStart(line: string, at: number): number {
  const code = line.charCodeAt(at);
  return at > 0 && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}

/** The range's first line, and `^~~~` under the part of it the range covers (at least one `^`). */
export function excerpt(line: string, startChar: number, endChar: number): Excerpt {
  // Only the neighbourhood of the range is measured: one line can be megabytes of minified JSON.
  const cut = line.length > MAX_WIDTH * 2;
  const from = cut ? pairStart(line, Math.max(0, startChar - LEAD * 2)) : 0;
  const to = cut ? pairStart(line, Math.min(line.length, startChar + MAX_WIDTH * 2)) : line.length;
  const cells = cellsOf(line.slice(from, to));
  const cellAt = (char: number) => {
    const i = cells.findIndex((c) => from + c.index >= char);
    return i === -1 ? cells.length : i;
  };
  const first = cellAt(startChar);
  const last = Math.max(first, cellAt(endChar));
  // column[i]: the cells' width before cell i.
  const column = [0];
  for (const c of cells) column.push(column[column.length - 1] + c.width);
  let a = 0;
  let b = cells.length;
  if (cut || column[b] > MAX_WIDTH) {
    a = first;
    while (a > 0 && column[first] - column[a - 1] <= LEAD) a--;
    b = a;
    while (b < cells.length && column[b + 1] - column[a] <= MAX_WIDTH) b++;
  }
  const prefix = from > 0 || a > 0 ? '…' : '';
  const suffix = to < line.length || b < cells.length ? '…' : '';
  const source = cells.slice(a, b).map((c) => c.text).join('');
  const lead = prefix.length + column[first] - column[a];
  const span = Math.max(1, column[Math.min(last, b)] - column[first]);
  return { source: `${prefix}${source}${suffix}`, caret: `${' '.repeat(lead)}^${'~'.repeat(span - 1)}` };
}

function lineText(text: string, starts: readonly number[], line: number): string | null {
  if (line >= starts.length) return null;
  const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
  const source = text.slice(starts[line], end);
  return source.endsWith('\r') ? source.slice(0, -1) : source;
}

/** The line of spec 6.2 with its severity word in colour: the word follows the path and position. */
function withSeverityPainted(header: string, path: string, severity: Severity, paint: Paint): string {
  const at = header.indexOf(`: ${severity} `, path.length) + 2;
  return `${header.slice(0, at)}${paint(severity, severity)}${header.slice(at + severity.length)}`;
}

function diagnosticBlock(file: FileReport, starts: readonly number[], d: Diagnostic, paint: Paint): string[] {
  const { start, end } = d.range;
  const header = withSeverityPainted(printable(formatDiagnosticLine(file.path, d)), printable(file.path), d.severity, paint);
  const line = lineText(file.text, starts, start.line);
  if (line === null) return [header];
  const { source, caret } = excerpt(line, start.character, end.line === start.line ? end.character : line.length);
  const number = String(start.line + 1);
  const gutter = ' '.repeat(number.length);
  return [header, `${paint('dim', `${number} |`)} ${source}`, `${paint('dim', `${gutter} |`)} ${paint(d.severity, caret)}`];
}

export function textReport(files: readonly FileReport[], colour: boolean): string {
  const paint = colour ? ansi : plain;
  const lines: string[] = [];
  for (const file of files) {
    if (!file.diagnostics.length) continue;
    const starts = lineStarts(file.text);
    for (const d of file.diagnostics) lines.push(...diagnosticBlock(file, starts, d, paint));
  }
  lines.push(summaryLine(countsOf(files), files.length));
  return `${lines.join('\n')}\n`;
}
