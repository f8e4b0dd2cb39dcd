// Figures the benchmarks print: percentiles, sizes and timing helpers.

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summary(samples: readonly number[], unit = 'ms'): string {
  return `p50 ${percentile(samples, 50).toFixed(1)} ${unit}, p95 ${percentile(samples, 95).toFixed(1)} ${unit} (n=${samples.length})`;
}

/** `(target ≤ 10.0 ms: met)`: a figure next to the target it is measured against (lower is better). */
export function target(value: number, limit: number, format: (n: number) => string = (n) => `${n.toFixed(1)} ms`): string {
  return `(target ≤ ${format(limit)}: ${value <= limit ? 'met' : 'MISSED'})`;
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/** Heap after a full collection (run node with --expose-gc for exact figures). */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}
