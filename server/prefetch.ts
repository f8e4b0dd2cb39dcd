// `--prefetch=URI`: files the client has open and will send with didOpen as soon as the connection is
// initialised. The extension starts the server before VS Code calls its activate() (client/
// server-process.ts); reading and analysing those files meanwhile means the first diagnostics follow
// didOpen at once rather than after the analysis of a 10,000-task tree (about 1 s in code-server).
import { readFile } from 'node:fs/promises';
import type { DocumentCache } from './documents';
import { filePath } from './uri';

const PREFIX = '--prefetch=';

/** The URIs given with `--prefetch=`. */
export function prefetchArgs(args: readonly string[]): string[] {
  return args.filter((a) => a.startsWith(PREFIX)).map((a) => a.slice(PREFIX.length));
}

/** Reads each file and has the cache analyse it; a file that cannot be read is left to its didOpen. */
export function prefetch(uris: readonly string[], cache: DocumentCache): void {
  for (const uri of uris) {
    const path = filePath(uri);
    if (path === null) continue;
    readFile(path, 'utf8').then(
      // Editors drop a UTF-8 byte-order mark from the text they show (and send).
      (text) => cache.prefetch(uri, text.startsWith('\uFEFF') ? text.slice(1) : text),
      () => undefined,
    );
  }
}
