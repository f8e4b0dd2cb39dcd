// `validate -`: the whole of standard input as text (a tree piped in by an editor or a pre-commit hook).
import { UsageError } from './io';

export function readStdin(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return Promise.reject(new UsageError('there is no standard input to read the tree from'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', (error) => reject(new UsageError(`cannot read standard input: ${error.message}`)));
  });
}
