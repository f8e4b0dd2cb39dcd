// The server caps how far V8 lets its heap grow past what is alive (server/heap-growth.ts), unless
// whoever started Node chose a growth of their own.
import assert from 'node:assert/strict';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../../server/heap-growth';

describe('server: heap growth', () => {
  it('sets the growth when the Node options say nothing of it', () => {
    assert.equal(heapGrowthFlag([]), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    assert.equal(heapGrowthFlag(['--expose-gc', '--max-semi-space-size=16', '']), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it('leaves a growth given on the command line or in NODE_OPTIONS alone, spelt with - or _', () => {
    assert.equal(heapGrowthFlag(['--heap-growing-percent=30']), null);
    assert.equal(heapGrowthFlag(['--inspect', '--heap_growing_percent=400']), null);
    assert.equal(heapGrowthFlag(['--heap-growing-percent']), null);
  });

  it('does not mistake a flag whose name merely starts the same for it', () => {
    assert.equal(heapGrowthFlag(['--heap-growing-percentage=5']), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });
});
