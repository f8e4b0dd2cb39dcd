// Each diagnostic code as docs/diagnostics.md explains it: the severity label and first sentence of its
// `## code` section, and a link to it. Read from the docs shipped beside the CLI (dist/cli.js and
// cli/ both sit one folder below docs/), so codes added to the docs need nothing here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnosticSections } from '../analysis';

const DOCS = join(__dirname, '..', 'docs');
export const DIAGNOSTICS_DOC = join(DOCS, 'diagnostics.md');
/** The command line's own page: the SARIF tool's information link. */
export const CLI_DOC = join(DOCS, 'cli.md');

export interface DiagnosticRule {
  code: string;
  /** The section's first sentence, without its severity label. */
  summary: string;
  /** `Error`, `Warning`, `Information` or `Hint`, as the section opens; null when it has no label. */
  label: string | null;
  /** The section: the docs file with the heading's anchor. */
  helpUri: string;
}

/** `**Error.**`, `**Hint** (shown faded).`: the label a section opens with. */
const LABEL = /^\*\*(\w+)\.?\*\*(?: \([^)]*\))?\.?\s*/;
/** A sentence ends at `.`, `!` or `?` before a space, but not after a one-letter word (`e.g.`, `i.e.`). */
const FIRST_SENTENCE = /^(.*?(?<!\b\w)[.!?])(?=\s|$)/s;

function ruleOf(code: string, paragraph: string, docUri: string): DiagnosticRule {
  const label = LABEL.exec(paragraph);
  const body = label ? paragraph.slice(label[0].length) : paragraph;
  const sentence = FIRST_SENTENCE.exec(body)?.[1] ?? body;
  return { code, summary: sentence.replace(/\s+/g, ' ').trim(), label: label?.[1] ?? null, helpUri: `${docUri}#${code}` };
}

/** Every documented code, in the docs' order; none when the docs cannot be read (the formats then say less). */
export function diagnosticRules(docsFile = DIAGNOSTICS_DOC): DiagnosticRule[] {
  let markdown: string;
  try {
    markdown = readFileSync(docsFile, 'utf8');
  } catch {
    return [];
  }
  const lines = markdown.split('\n');
  const docUri = pathToFileURL(docsFile).href;
  return [...diagnosticSections(markdown)].map(([code, heading]) => {
    let i = heading + 1;
    while (i < lines.length && lines[i].trim() === '') i++;
    const paragraph: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && !lines[i].startsWith('#')) paragraph.push(lines[i++]);
    return ruleOf(code, paragraph.join(' '), docUri);
  });
}
