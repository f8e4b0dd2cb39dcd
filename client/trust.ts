// Whether this window may run a tree (spec 4.4), and how the extension says so. Pure, so that the
// decision is testable on its own; the extension feeds it `vscode.workspace.isTrusted` and the
// document's URI scheme. The rule itself is protocol/trust.ts, shared with the language server (which
// leaves `▶ Run task` out where it applies).
import { runBlocker } from '../protocol';

export interface RunContext {
  /** `vscode.workspace.isTrusted`. */
  trusted: boolean;
  /** The scheme of the tree's URI: runs need the local file system (`file`). */
  scheme: string;
}

export type RunPermission =
  | { allowed: true }
  | {
      allowed: false;
      reason: 'untrusted' | 'virtual';
      /** What a run command says instead of running (after the `apflow:` every notification starts with). */
      message: string;
      /** The lens that replaces the run lenses. */
      lensTitle: string;
      /** The command of that lens. */
      lensCommand: string | null;
    };

export const TRUST_LENS = 'Trust this workspace to run';

export function runPermission(context: RunContext): RunPermission {
  const blocker = runBlocker(context);
  if (blocker === 'untrusted') {
    return {
      allowed: false,
      reason: 'untrusted',
      message:
        'task trees are not run in an untrusted workspace (Restricted Mode): a run executes commands and workspace modules. ' +
        'Trust the workspace to run it; every language feature keeps working meanwhile.',
      lensTitle: TRUST_LENS,
      lensCommand: 'workbench.trust.manage',
    };
  }
  if (blocker === 'virtual') {
    return {
      allowed: false,
      reason: 'virtual',
      message: `task trees run from files on this machine only; this tree is a ${context.scheme}: document. Language features work; save a copy to disk to run it.`,
      lensTitle: 'Runs need a file on disk',
      lensCommand: null,
    };
  }
  return { allowed: true };
}
