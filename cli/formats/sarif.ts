// `validate --format sarif`: a SARIF 2.1.0 log (OASIS), what GitHub code scanning and SARIF viewers
// read. One run; the rules are the documented codes; positions are 1-based with an exclusive end
// column in UTF-16 code units, as LSP counts them.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Severity } from '../../analysis';
import { version } from '../../package.json';
import { CLI_DOC, diagnosticRules } from '../diagnostic-rules';
import type { FileReport } from './report';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const LABEL_LEVEL: Record<string, 'error' | 'warning' | 'note'> = { Error: 'error', Warning: 'warning', Information: 'note', Hint: 'note' };

/** A printed path as a SARIF artifact location: relative ones against the working folder. */
function artifactLocation(path: string) {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function result(path: string, d: Diagnostic, ruleIndex: Map<string, number>) {
  const { start, end } = d.range;
  const region = { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  const index = ruleIndex.get(d.code);
  return {
    ruleId: d.code,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(path), region } }],
  };
}

export function sarifReport(files: readonly FileReport[], cwd: string): string {
  const documented = diagnosticRules();
  const known = new Set(documented.map((r) => r.code));
  // A code the docs do not (yet) explain still gets a rule, so that every result has one.
  const undocumented = [...new Set(files.flatMap((f) => f.diagnostics.map((d) => d.code)))].filter((c) => !known.has(c));
  const rules = [
    ...documented.map((r) => ({
      id: r.code,
      shortDescription: { text: r.summary || r.code },
      helpUri: r.helpUri,
      ...(r.label && LABEL_LEVEL[r.label] ? { defaultConfiguration: { level: LABEL_LEVEL[r.label] } } : {}),
    })),
    ...undocumented.map((code) => ({ id: code, shortDescription: { text: `apflow diagnostic ${code}` } })),
  ];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'apflow-yaml', version, informationUri: pathToFileURL(CLI_DOC).href, rules } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href } },
        columnKind: 'utf16CodeUnits',
        results: files.flatMap((f) => f.diagnostics.map((d) => result(f.path, d, ruleIndex))),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
