// Writing a fixed tree file back: atomically (a temporary file beside it, renamed over it), keeping its
// mode, and only when the file on disk is still exactly the text that was fixed. Anything else is
// refused with the reason, and the file is left as it was.
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Why a file was not rewritten, in words for the user. */
export class NotRewritten extends Error {}

export function rewriteFile(path: string, original: string, text: string): void {
  // Through a symbolic link the file it names is rewritten; the link stays a link.
  const target = realpathSync(path);
  const stat = statSync(target);
  if (!stat.isFile()) throw new NotRewritten('it is no longer a regular file');
  // A rename would leave the file's other names with the old text.
  if (stat.nlink > 1) throw new NotRewritten(`it has ${stat.nlink} hard links, which a rewrite would separate: fix it in the editor`);
  const bytes = readFileSync(target);
  if (!bytes.equals(Buffer.from(original, 'utf8'))) {
    throw new NotRewritten(
      bytes.toString('utf8') === original
        ? 'it is not valid UTF-8, and writing the fixed text would change its other bytes'
        : 'it changed while it was being fixed: run the command again',
    );
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.fix.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, stat.mode & 0o7777);
    keepOwner(temp, stat.uid, stat.gid);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** As root, the rewritten file keeps its owner; anyone else can only own what they write, which is theirs already. */
function keepOwner(path: string, uid: number, gid: number): void {
  if (process.getuid?.() !== 0) return;
  chownSync(path, uid, gid);
}
