// How far V8 lets the server's heap grow past what stayed alive at its last full collection. By
// default it may grow to about four times that when collections are cheap, and they are: at 10,000
// tasks about 50 MiB stays alive, while each edit leaves its predecessor's text, parse and outline
// behind, so the heap reached 4× before it was collected (server peak 329 MiB after 500 edits).
// Allowing twice what is alive bounds the peak at 224–237 MiB at no cost to the edit latency: full
// collections are incremental and come about every 20 edits rather than 50 (docs/benchmarks.md).
// The limit is a share of the live heap, so it scales with the size of the files open. The flag is
// read at every collection, so it can be set after start; a value given in the Node options wins.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 100;
/** V8 reads `-` and `_` in a flag's name alike. */
const GIVEN = /^--heap[-_]growing[-_]percent(=|$)/;

/**
 * The flag to set, or null when the Node options the process was started with (its `execArgv`, or
 * `NODE_OPTIONS`) already set the heap growth.
 */
export function heapGrowthFlag(nodeOptions: readonly string[]): string | null {
  return nodeOptions.some((option) => GIVEN.test(option)) ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]);
  if (flag) setFlagsFromString(flag);
}
