// Delay before retrying a task (spec 1.2): apflow v2's strategies, capped, with jitter so that tasks
// failing together do not all hammer the same service again at the same instant.
import type { BackoffStrategy } from './types';

const CAP_SECONDS = 300;
const JITTER = 0.25;

/** Milliseconds to wait before retry `k` (0 for the first retry); `random` returns [0, 1). */
export function backoffDelayMs(strategy: BackoffStrategy, baseSeconds: number, k: number, random: () => number): number {
  const factor = strategy === 'fixed' ? 1 : strategy === 'linear' ? k + 1 : 2 ** k;
  const capped = Math.min(CAP_SECONDS, baseSeconds * factor);
  return capped * 1000 * (1 + JITTER * (2 * random() - 1));
}
