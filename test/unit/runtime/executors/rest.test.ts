import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { privateUrlsAllowed } from '../../../../runtime/executors/host';
import { isPrivateAddress } from '../../../../runtime/executors/private-address';
import { restExecutor } from '../../../../runtime/executors/rest';
import { testContext } from './context';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('executors: rest_executor', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url?.startsWith('/slow')) return setTimeout(() => res.end('late'), 2000);
        if (req.url?.startsWith('/text')) return res.end('plain words');
        if (req.url?.startsWith('/missing')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          return res.end('{"detail":"not here"}');
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  beforeEach(() => (seen = []));

  const allowed = restExecutor({ treeDir: '.', env: {}, allowPrivateUrls: true });
  const guarded = restExecutor({ treeDir: '.', env: {}, allowPrivateUrls: false });
  const call = (inputs: Record<string, unknown>, executor = allowed, signal?: AbortSignal) =>
    executor(inputs, testContext(signal)) as Promise<Record<string, unknown>>;

  it('sends a GET with query parameters and headers and returns the apflow result shape', async () => {
    const r = await call({ url: `${base}/get`, params: { q: 'a b', n: 2 }, headers: { 'X-Id': '7' } });
    assert.equal(r.success, true);
    assert.equal(r.status_code, 200);
    assert.equal(r.method, 'GET');
    assert.equal(r.url, `${base}/get?q=a+b&n=2`);
    assert.deepEqual(r.json, { ok: true });
    assert.equal((r.headers as Record<string, string>)['x-test'], 'yes');
    assert.equal(seen[0].headers['x-id'], '7');
  });

  it('sends JSON and form bodies', async () => {
    await call({ url: `${base}/post`, method: 'POST', json: { a: [1] } });
    assert.equal(seen[0].body, '{"a":[1]}');
    assert.equal(seen[0].headers['content-type'], 'application/json');
    await call({ url: `${base}/post`, method: 'put', data: { k: 'v w' } });
    assert.equal(seen[1].method, 'PUT');
    assert.equal(seen[1].body, 'k=v+w');
    assert.equal(seen[1].headers['content-type'], 'application/x-www-form-urlencoded');
  });

  it('applies bearer, basic and apikey authentication', async () => {
    await call({ url: base, auth: { type: 'bearer', token: 't0k' } });
    await call({ url: base, auth: { type: 'basic', username: 'u', password: 'p' } });
    await call({ url: base, auth: { type: 'apikey', key: 'X-Key', value: 'k1' } });
    await call({ url: base, auth: { type: 'apikey', key: 'api_key', value: 'k2', location: 'query' } });
    assert.equal(seen[0].headers.authorization, 'Bearer t0k');
    assert.equal(seen[1].headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.equal(seen[2].headers['x-key'], 'k1');
    assert.equal(seen[3].url, '/?api_key=k2');
  });

  it('completes with success false on a non-2xx status, and returns text when the body is not JSON', async () => {
    const missing = await call({ url: `${base}/missing` });
    assert.equal(missing.success, false);
    assert.equal(missing.status_code, 404);
    assert.deepEqual(missing.json, { detail: 'not here' });
    const text = await call({ url: `${base}/text` });
    assert.equal(text.text, 'plain words');
    assert.equal('json' in text, false);
  });

  it('fails on transport errors and on its timeout', async () => {
    await assert.rejects(call({ url: 'http://127.0.0.1:1/' }), /ECONNREFUSED/);
    await assert.rejects(call({ url: `${base}/slow`, timeout: 0.2 }), { message: 'Request timed out after 0.2 s' });
  });

  it('stops when the task signal aborts', async () => {
    const controller = new AbortController();
    const pending = call({ url: `${base}/slow` }, allowed, controller.signal);
    setTimeout(() => controller.abort(new Error('Cancelled by user')), 50);
    await assert.rejects(pending, { message: 'Cancelled by user' });
  });

  it('refuses loopback addresses unless allowed, by literal and by name', async () => {
    await assert.rejects(call({ url: `${base}/get` }, guarded), /Refused to call 127\.0\.0\.1.*APFLOW_REST_ALLOW_PRIVATE_URLS=1/);
    const port = (server.address() as AddressInfo).port;
    await assert.rejects(call({ url: `http://localhost:${port}/get` }, guarded), /Refused to call localhost/);
    await assert.rejects(call({ url: `http://[::1]:${port}/` }, guarded), /Refused/);
    assert.equal(seen.length, 0, 'no request reached the server');
  });

  it('knows private, link-local and reserved ranges', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '240.0.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1']) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1']) assert.equal(isPrivateAddress(a), false, a);
  });

  it("refuses what apflow's own check refuses: IPv4-compatible, IPv4-translated, NAT64, IETF-reserved, and 6to4 of a private IPv4 (issue 10)", () => {
    for (const a of ['::127.0.0.1', '::7f00:1', '::10.0.0.1', '::ffff:0:127.0.0.1', '::ffff:0:8.8.8.8', '64:ff9b::a9fe:a9fe', '64:ff9b::8.8.8.8', '64:ff9b:1::1', '2001::1', '2001:0:4136:e378::1', '2001:1ff::1', '2002:7f00:1::', '2002:c0a8:101::1', '2002:a9fe:a9fe::1', '2002:0a00:0001::']) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    // 6to4 of a public IPv4, and the public neighbours of the reserved ranges.
    for (const a of ['2002:808:808::1', '2001:200::1', '64:ff9c::1', '2003::1']) assert.equal(isPrivateAddress(a), false, a);
  });

  it('refuses http://[::127.0.0.1]/ before connecting', async () => {
    const rest = restExecutor({ treeDir: '.', env: {}, allowPrivateUrls: false });
    await assert.rejects(Promise.resolve(rest({ url: 'http://[::127.0.0.1]:9/', method: 'GET' }, testContext())), /Refused to call ::7f00:1/);
  });

  it('reads the allow switch from APFLOW_REST_ALLOW_PRIVATE_URLS or the host setting', () => {
    assert.equal(privateUrlsAllowed({ APFLOW_REST_ALLOW_PRIVATE_URLS: '1' }), true);
    assert.equal(privateUrlsAllowed({}), false);
    assert.equal(privateUrlsAllowed({}, true), true);
  });

  it('verifies TLS certificates unless `verify: false`', async () => {
    // A self-signed certificate for 127.0.0.1, made for this test (tls/).
    const tls = createTlsServer({ key: readFileSync(join(__dirname, 'tls/localhost.key')), cert: readFileSync(join(__dirname, 'tls/localhost.crt')) }, (_req, res) => res.end('{"secure":true}'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`;
    try {
      await assert.rejects(call({ url }), /self[- ]signed certificate/);
      const r = await call({ url, verify: false });
      assert.deepEqual(r.json, { secure: true });
    } finally {
      tls.close();
    }
  });

  it('rejects invalid URLs and methods with a clear message', async () => {
    await assert.rejects(call({ url: 'not a url' }), /Invalid url/);
    await assert.rejects(call({ url: 'ftp://example.com' }), /Unsupported URL scheme/);
    await assert.rejects(call({ url: base, method: 'BREW' }), /Invalid method/);
  });
});
