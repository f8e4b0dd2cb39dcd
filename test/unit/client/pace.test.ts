// client/pace.ts: the one pace of the live views. A call comes at once after a quiet gap (so that what
// lasts less than the gap is still shown), requests within a gap share one call at its end, and a
// cancelled call never comes.
import { strict as assert } from 'node:assert';
import { Pace } from '../../../client/pace';

const GAP_MS = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('client: Pace', () => {
  it('calls at once after a quiet gap, then once at the end of the gap for every request within it', async () => {
    let calls = 0;
    const pace = new Pace(() => calls++);
    pace.request(GAP_MS);
    assert.equal(calls, 1, 'the first request is answered at once');
    pace.request(GAP_MS);
    pace.request(GAP_MS);
    assert.equal(calls, 1, 'requests within the gap wait');
    await sleep(GAP_MS * 3);
    assert.equal(calls, 2, 'they share one call at the end of the gap');
    await sleep(GAP_MS * 2);
    pace.request(GAP_MS);
    assert.equal(calls, 3, 'after a quiet gap, at once again');
  });

  it('never makes a call that was cancelled', async () => {
    let calls = 0;
    const pace = new Pace(() => calls++);
    pace.request(GAP_MS);
    pace.request(GAP_MS);
    pace.cancel();
    await sleep(GAP_MS * 3);
    assert.equal(calls, 1);
  });
});
