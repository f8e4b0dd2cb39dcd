import { strict as assert } from 'node:assert';
import { backoffDelayMs } from '../../../runtime/backoff';

describe('runtime: backoff (spec 1.2)', () => {
  const middle = () => 0.5;
  it('computes fixed, exponential and linear delays', () => {
    assert.deepEqual([0, 1, 2, 3].map((k) => backoffDelayMs('fixed', 2, k, middle)), [2000, 2000, 2000, 2000]);
    assert.deepEqual([0, 1, 2, 3].map((k) => backoffDelayMs('exponential', 2, k, middle)), [2000, 4000, 8000, 16000]);
    assert.deepEqual([0, 1, 2, 3].map((k) => backoffDelayMs('linear', 2, k, middle)), [2000, 4000, 6000, 8000]);
  });

  it('caps at 300 s before jitter and jitters by ±25 %', () => {
    assert.equal(backoffDelayMs('exponential', 100, 5, middle), 300000);
    assert.equal(backoffDelayMs('fixed', 1, 0, () => 0), 750);
    assert.ok(Math.abs(backoffDelayMs('fixed', 1, 0, () => 0.999999) - 1250) < 0.01);
  });
});
