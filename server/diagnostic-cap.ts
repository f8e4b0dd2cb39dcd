// What the server publishes for a document: at most MAX_PUBLISHED diagnostics, the first ones in file
// order, and then one that says how many more there are and how to list them. An editor cannot show
// 90,000 squiggles usefully, and publishing them costs seconds and hundreds of MB (issue 9); the CLI
// still reports every one (its `--json` is a contract).
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Diagnostic, Snapshot } from '../analysis';
import { toLspDiagnostic } from './convert';

export const MAX_PUBLISHED = 1000;

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

/** The diagnostics to publish for `snapshot`, capped, as LSP diagnostics of `uri`. */
export function publishedDiagnostics(snapshot: Snapshot, uri: string, max = MAX_PUBLISHED, adjust?: (d: Diagnostic, snapshot: Snapshot) => Diagnostic): LspDiagnostic[] {
  const all = adjust ? snapshot.diagnostics.map((d) => adjust(d, snapshot)) : snapshot.diagnostics;
  const shown = all.length > max ? all.slice(0, max) : all;
  const out = shown.map((d) => toLspDiagnostic(d, uri));
  if (all.length > max) {
    const hidden = all.length - max;
    const name = baseName(snapshot.fileName);
    out.push({
      range: all[max].range,
      severity: DiagnosticSeverity.Information,
      source: 'apflow',
      message: `${hidden.toLocaleString('en-US')} more problem${hidden === 1 ? '' : 's'} from here on are not shown (the editor shows the first ${max.toLocaleString('en-US')}): fix the first ones, or run \`apflow-yaml validate ${name}\` to list them all.`,
    });
  }
  return out;
}
