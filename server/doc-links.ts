// Links from a diagnostic code to its section of docs/diagnostics.md, shipped beside the server
// bundle (dist/server.js → docs/diagnostics.md, in the repository and in the VSIX alike). A file
// link with a `#L<line>` fragment opens the section inside the editor; no network is involved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnosticSections } from '../analysis';

export function diagnosticDocLinks(docsFile = join(__dirname, '..', 'docs', 'diagnostics.md')): (code: string) => string | undefined {
  let sections: Map<string, number>;
  try {
    sections = diagnosticSections(readFileSync(docsFile, 'utf8'));
  } catch {
    return () => undefined;
  }
  const base = pathToFileURL(docsFile).href;
  return (code) => {
    const line = sections.get(code);
    return line === undefined ? undefined : `${base}#L${line + 1}`;
  };
}
