// Test fixtures for the analysis core. A fixture is the file's text with inline markers:
//   «…»  around each range a test expects (nesting allowed; ranges are numbered by their `«`)
//   a cursor marker (e.g. `|`, opt-in because `|` is YAML's literal block indicator) for features
//        that take a position.
// Positions are computed here, independently of the core: line breaks are `\n` or `\r\n`, and the
// character is counted in UTF-16 code units by walking code points (a code point above U+FFFF is two
// units), which is what LSP means by a column.
import { strict as assert } from 'node:assert';
import { analyzeFile, DocumentAnalyzer, type AnalysisEnv, type Diagnostic, type DiagnosticCode, type Position, type Range, type TextEdit } from '../../../analysis';

export const OPEN = '«';
export const CLOSE = '»';

export interface Marked {
  /** The text without markers. */
  text: string;
  /** The marked ranges, in the order of their opening markers. */
  ranges: Range[];
  /** Cursor positions, in order (only when a cursor marker was given). */
  cursors: Position[];
}

function utf16Length(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}

/** Removes the markers and returns the clean text with the marked positions. */
export function mark(source: string, options: { cursor?: string } = {}): Marked {
  const cursor = options.cursor;
  let text = '';
  let line = 0;
  let character = 0;
  const ranges: (Range | undefined)[] = [];
  const open: { index: number; start: Position }[] = [];
  const cursors: Position[] = [];
  const here = (): Position => ({ line, character });
  for (const ch of source) {
    if (ch === OPEN) {
      open.push({ index: ranges.length, start: here() });
      ranges.push(undefined);
      continue;
    }
    if (ch === CLOSE) {
      const top = open.pop();
      if (!top) throw new Error(`fixture: unmatched ${CLOSE} at ${line}:${character}`);
      ranges[top.index] = { start: top.start, end: here() };
      continue;
    }
    if (cursor !== undefined && ch === cursor) {
      cursors.push(here());
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      character = 0;
    } else if (ch === '\r') {
      // Counted as a character unless it ends the line (`\r\n`); the next `\n` resets the column.
      character++;
    } else {
      character += utf16Length(ch.codePointAt(0) as number);
    }
  }
  if (open.length) throw new Error(`fixture: ${open.length} unclosed ${OPEN}`);
  return { text, ranges: ranges as Range[], cursors };
}

/** The fixture with one cursor marker `|`: the clean text and the cursor's position. */
export function markCursor(source: string, marker = '|'): { text: string; cursor: Position; ranges: Range[] } {
  const m = mark(source, { cursor: marker });
  assert.equal(m.cursors.length, 1, 'fixture: expected exactly one cursor marker');
  return { text: m.text, cursor: m.cursors[0], ranges: m.ranges };
}

/** Offset of an LSP position in `text` (UTF-16 units; `\n` ends a line), computed by walking the text. */
export function offsetAt(text: string, position: Position): number {
  let line = 0;
  let i = 0;
  while (line < position.line) {
    const nl = text.indexOf('\n', i);
    if (nl === -1) throw new Error(`position ${position.line}:${position.character} is past the end of the text`);
    i = nl + 1;
    line++;
  }
  const end = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
  if (i + position.character > end) throw new Error(`position ${position.line}:${position.character} is past the end of its line`);
  return i + position.character;
}

/** Applies LSP text edits (non-overlapping) to `text`, the way an editor would. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const resolved = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < resolved.length; i++) assert.ok(resolved[i].end <= resolved[i - 1].start, 'overlapping edits');
  let out = text;
  for (const e of resolved) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

/** An environment in which exactly the given absolute paths exist. */
export function fakeEnv(existing: Iterable<string> = []): AnalysisEnv & { asked: string[] } {
  const files = new Set(existing);
  const asked: string[] = [];
  return {
    asked,
    fileExists(path: string) {
      asked.push(path);
      return files.has(path);
    },
  };
}

/** Every path exists: tests that are not about executor modules use this. */
export const ANY_FILE: AnalysisEnv = { fileExists: () => true };

export const YAML_FILE = '/ws/flows/tree.apflow.yaml';
export const JSON_FILE = '/ws/flows/tree.apflow.json';

export function analyze(text: string, fileName = YAML_FILE, env: AnalysisEnv = ANY_FILE): Diagnostic[] {
  return analyzeFile(text, fileName, env).diagnostics;
}

/** The diagnostics of one code. */
export function only(diagnostics: readonly Diagnostic[], code: DiagnosticCode): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/**
 * Analyses a marked fixture and asserts that the diagnostics of `code` are exactly one per marked
 * range, in order, with the given severity. Returns them (and the clean text) for further checks.
 */
export function expectAt(
  source: string,
  code: DiagnosticCode,
  severity: Diagnostic['severity'],
  options: { fileName?: string; env?: AnalysisEnv } = {},
): { text: string; diagnostics: Diagnostic[]; all: Diagnostic[] } {
  const { text, ranges } = mark(source);
  const all = analyze(text, options.fileName, options.env);
  const diagnostics = only(all, code);
  assert.deepEqual(
    diagnostics.map((d) => d.range),
    ranges,
    `ranges of ${code}; got ${JSON.stringify(diagnostics.map((d) => [d.range.start, d.message]))}`,
  );
  for (const d of diagnostics) assert.equal(d.severity, severity, `severity of ${code}`);
  return { text, diagnostics, all };
}

/** Asserts that no diagnostic of `code` is produced. */
export function expectNone(text: string, code: DiagnosticCode, options: { fileName?: string; env?: AnalysisEnv } = {}): Diagnostic[] {
  const all = analyze(text, options.fileName, options.env);
  assert.deepEqual(
    only(all, code).map((d) => d.message),
    [],
    `expected no ${code}`,
  );
  return all;
}

/** The result of applying the quick fix titled `title` of `diagnostic` to `text`. */
export function applyFix(text: string, diagnostic: Diagnostic, title: string): string {
  const fix = diagnostic.fixes?.find((f) => f.title === title);
  assert.ok(fix, `no fix titled ${JSON.stringify(title)}; have ${JSON.stringify(diagnostic.fixes?.map((f) => f.title) ?? [])}`);
  return applyEdits(text, fix.edits);
}

/**
 * Applies the fix `title` of `diagnostic`, asserts that the result is `expected` (when given) and no
 * longer has a diagnostic of the same code, and returns it.
 */
export function expectFixed(text: string, diagnostic: Diagnostic, title: string, expected?: string, fileName = YAML_FILE): string {
  const fixed = applyFix(text, diagnostic, title);
  if (expected !== undefined) assert.equal(fixed, expected);
  assert.deepEqual(only(analyze(fixed, fileName), diagnostic.code), [], `${diagnostic.code} after the fix`);
  return fixed;
}

/** A fresh analyzer, for incremental tests. */
export function analyzer(fileName = YAML_FILE, env: AnalysisEnv = ANY_FILE): DocumentAnalyzer {
  return new DocumentAnalyzer(fileName, env);
}

/**
 * A fixture written as an indented template literal: drops the first line break and the common
 * indentation, keeps a final newline. Lets fixtures read as the file they describe.
 */
export function dedent(strings: TemplateStringsArray | string, ...values: unknown[]): string {
  const raw = typeof strings === 'string' ? strings : strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const body = raw.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '\n');
  const rows = body.split('\n');
  const indents = rows.filter((r) => r.trim() !== '').map((r) => /^ */.exec(r)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return rows.map((r) => r.slice(Math.min(cut, /^ */.exec(r)![0].length))).join('\n');
}
