// Document URIs ↔ file names for the analysis core.
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The file path of a `file:` URI, else null (unsaved buffers, virtual workspaces). */
export function filePath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/**
 * The name the analysis knows a document by. Outside the file system it is a bare name without a folder,
 * so that workspace executor modules are not looked up (the core then skips that check).
 */
export function analysisFileName(uri: string): string {
  return filePath(uri) ?? basename(decodeURIComponent(uri.replace(/[?#].*$/, ''))).replace(/[\\/]/g, '_');
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}
