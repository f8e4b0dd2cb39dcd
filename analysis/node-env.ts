// The analysis environment backed by the real file system, for hosts outside the editor.
import { existsSync } from 'node:fs';
import { targetOf, type ApflowTarget } from './target';
import type { AnalysisEnv } from './types';

export const nodeEnv: AnalysisEnv = {
  fileExists: (path) => existsSync(path),
};

/** A host's target as a setting or option wrote it; what names no apflow line counts as none. */
export function hostTarget(written: string | null | undefined): ApflowTarget | undefined {
  return typeof written === 'string' ? (targetOf(written) ?? undefined) : undefined;
}

/** The same environment with a host's target (CLI `--target`); none leaves the file's own or 0.18. */
export function nodeEnvFor(target: ApflowTarget | undefined): AnalysisEnv {
  return target ? { ...nodeEnv, target } : nodeEnv;
}
