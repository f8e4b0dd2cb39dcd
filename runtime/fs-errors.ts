// File-system failures in plain words: what users read instead of ENOENT, EISDIR or a stack trace.

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ELOOP: 'its symbolic links form a loop',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'the device reported an input/output error',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many files are open',
  EBUSY: 'it is in use',
  EEXIST: 'it already exists',
  EFBIG: 'the file is too large',
  ENXIO: 'it is a device that is not available',
};

/** What ENOENT means when a file is being created: the file is not expected to exist, its folder is. */
const WRITE_REASONS: Record<string, string> = { ENOENT: 'its folder does not exist' };

/**
 * Why an operation on a path failed, as a clause ("the disk is full (ENOSPC)"); errors without a known
 * code keep their message.
 */
export function fsReason(error: unknown, writing = false): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = code && ((writing && WRITE_REASONS[code]) || REASONS[code]);
  if (reason) return `${reason} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
