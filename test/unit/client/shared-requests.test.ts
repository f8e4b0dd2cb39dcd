// Overlapping identical requests (VS Code's two outline requests for a file it opens) are sent once.
import assert from 'node:assert/strict';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import { SharedRequests, type Token } from '../../../client/shared-requests';

/** A server stand-in whose answers the test releases; it records what it was sent and whether it was cancelled. */
function server() {
  const sent: { key: string; token: Token; answer: (value: string) => void }[] = [];
  const send = (key: string) => (token: Token) => new Promise<string>((resolve) => sent.push({ key, token, answer: resolve }));
  return { sent, send };
}

describe('client: shared requests', () => {
  const shared = () => new SharedRequests<string>(() => new CancellationTokenSource());

  it('sends one request for callers that overlap, and gives each the answer', async () => {
    const requests = shared();
    const { sent, send } = server();
    const first = requests.request('a@1', new CancellationTokenSource().token, send('a@1'));
    const second = requests.request('a@1', new CancellationTokenSource().token, send('a@1'));
    assert.equal(sent.length, 1);
    sent[0].answer('outline');
    assert.deepEqual(await Promise.all([first, second]), ['outline', 'outline']);
    assert.equal(requests.size, 0);
  });

  it('sends again once the answer came, and for another key at once', async () => {
    const requests = shared();
    const { sent, send } = server();
    const first = requests.request('a@1', new CancellationTokenSource().token, send('a@1'));
    const other = requests.request('a@2', new CancellationTokenSource().token, send('a@2'));
    assert.deepEqual(sent.map((s) => s.key), ['a@1', 'a@2']);
    sent[0].answer('one');
    sent[1].answer('two');
    assert.deepEqual(await Promise.all([first, other]), ['one', 'two']);
    const later = requests.request('a@1', new CancellationTokenSource().token, send('a@1'));
    assert.equal(sent.length, 3);
    sent[2].answer('three');
    assert.equal(await later, 'three');
  });

  it('cancels the request only when every caller has cancelled', async () => {
    const requests = shared();
    const { sent, send } = server();
    const callers = [new CancellationTokenSource(), new CancellationTokenSource()];
    const answers = callers.map((c) => requests.request('a@1', c.token, send('a@1')));
    callers[0].cancel();
    assert.equal(sent[0].token.isCancellationRequested, false, 'one caller still waits');
    callers[1].cancel();
    assert.equal(sent[0].token.isCancellationRequested, true);
    assert.equal(requests.size, 0, 'a cancelled request is not joined');
    const fresh = requests.request('a@1', new CancellationTokenSource().token, send('a@1'));
    assert.equal(sent.length, 2);
    sent[0].answer('late');
    sent[1].answer('fresh');
    assert.deepEqual(await Promise.all([...answers, fresh]), ['late', 'late', 'fresh']);
  });
});
