// When a tree may be run (spec 4.4): only in a trusted workspace (a run executes commands and
// workspace modules) and only from a file on this machine. The extension words the refusal; the
// language server leaves `▶ Run task` out where it applies.

/** Why a document may not be run, or null when it may. */
export type RunBlocker = 'untrusted' | 'virtual' | null;

export function runBlocker(context: { trusted: boolean; scheme: string }): RunBlocker {
  if (!context.trusted) return 'untrusted';
  if (context.scheme !== 'file') return 'virtual';
  return null;
}
