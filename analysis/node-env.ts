// The analysis environment backed by the real file system, for hosts outside the editor.
import { existsSync } from 'node:fs';
import type { ApflowTarget } from './target';
import type { AnalysisEnv } from './types';

export const nodeEnv: AnalysisEnv = {
  fileExists: (path) => existsSync(path),
};

/** The same environment with a host's target (CLI `--target`); none leaves the file's own or 0.18. */
export function nodeEnvFor(target: ApflowTarget | undefined): AnalysisEnv {
  return target ? { ...nodeEnv, target } : nodeEnv;
}
