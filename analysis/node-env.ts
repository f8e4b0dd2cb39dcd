// The analysis environment backed by the real file system, for hosts outside the editor.
import { existsSync } from 'node:fs';
import type { AnalysisEnv } from './types';

export const nodeEnv: AnalysisEnv = {
  fileExists: (path) => existsSync(path),
};
