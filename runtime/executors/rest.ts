// rest_executor (spec 5.1). Built on node:http(s) rather than fetch for two reasons: the address check
// runs inside the connection's DNS lookup, so the address checked is the address connected to (no
// DNS-rebinding gap), and `verify: false` can switch off certificate checks for one request. Redirects
// are not followed, as apflow's httpx client does not follow them by default.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isMapping, type ExecutorFn, type JsonObject } from '../types';
import type { ExecutorHost } from './host';
import { isPrivateAddress } from './private-address';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

export function restExecutor(host: ExecutorHost): ExecutorFn {
  return async (inputs, context) => {
    const request = buildRequest(inputs);
    const seconds = typeof inputs.timeout === 'number' ? inputs.timeout : 30;
    if (!host.allowPrivateUrls) {
      const literal = request.url.hostname.replace(/^\[|\]$/g, '');
      if (isPrivateAddress(literal)) throw refusal(literal, literal);
    }
    const response = await send(request, {
      lookup: host.allowPrivateUrls ? undefined : guardedLookup,
      rejectUnauthorized: inputs.verify !== false,
      timeoutMs: seconds * 1000,
      timeoutMessage: `Request timed out after ${seconds} s`,
      signal: context.signal,
    });
    const result: JsonObject = {
      success: response.status >= 200 && response.status < 300,
      status_code: response.status,
      url: request.url.toString(),
      method: request.method,
      headers: response.headers,
    };
    const parsed = parseJson(response.body);
    if (parsed.ok) result.json = parsed.value;
    else result.text = response.body;
    return result;
  };
}

interface OutgoingRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

function buildRequest(inputs: JsonObject): OutgoingRequest {
  let url: URL;
  try {
    url = new URL(String(inputs.url));
  } catch {
    throw new Error(`Invalid url ${JSON.stringify(inputs.url)}: give an absolute http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Unsupported URL scheme ${url.protocol} (use http or https)`);
  const method = String(inputs.method ?? 'GET').toUpperCase();
  if (!METHODS.includes(method)) throw new Error(`Invalid method ${JSON.stringify(inputs.method)}: use one of ${METHODS.join(', ')}`);
  if (isMapping(inputs.params)) for (const [k, v] of Object.entries(inputs.params)) url.searchParams.append(k, scalar(v));
  const headers: Record<string, string> = {};
  if (isMapping(inputs.headers)) for (const [k, v] of Object.entries(inputs.headers)) headers[k] = scalar(v);
  applyAuth(inputs.auth, headers, url);
  let body: string | null = null;
  if (inputs.json !== undefined) {
    body = JSON.stringify(inputs.json);
    setDefaultHeader(headers, 'content-type', 'application/json');
  } else if (typeof inputs.data === 'string') {
    body = inputs.data;
  } else if (isMapping(inputs.data)) {
    body = new URLSearchParams(Object.entries(inputs.data).map(([k, v]): [string, string] => [k, scalar(v)])).toString();
    setDefaultHeader(headers, 'content-type', 'application/x-www-form-urlencoded');
  }
  return { url, method, headers, body };
}

function applyAuth(auth: unknown, headers: Record<string, string>, url: URL): void {
  if (!isMapping(auth)) return;
  switch (auth.type) {
    case 'bearer':
      headers.Authorization = `Bearer ${scalar(auth.token)}`;
      return;
    case 'basic':
      headers.Authorization = `Basic ${Buffer.from(`${scalar(auth.username)}:${scalar(auth.password)}`).toString('base64')}`;
      return;
    case 'apikey':
      if (auth.location === 'query') url.searchParams.append(scalar(auth.key), scalar(auth.value));
      else headers[scalar(auth.key)] = scalar(auth.value);
      return;
    default:
      throw new Error(`Unknown auth type ${JSON.stringify(auth.type)}: use bearer, basic or apikey`);
  }
}

function setDefaultHeader(headers: Record<string, string>, name: string, value: string): void {
  if (!Object.keys(headers).some((k) => k.toLowerCase() === name)) headers[name] = value;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

function refusal(host: string, address: string): Error {
  return new Error(
    `Refused to call ${host} (${address}): loopback, private, link-local and reserved addresses are blocked. ` +
      'Set APFLOW_REST_ALLOW_PRIVATE_URLS=1 (or the editor setting apflow.rest.allowPrivateUrls) to allow them.',
  );
}

/** Resolves like dns.lookup, failing when any address of the host is one that is refused. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(refusal(hostname, bad.address) as NodeJS.ErrnoException, '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};

interface SendOptions {
  lookup: LookupFunction | undefined;
  rejectUnauthorized: boolean;
  timeoutMs: number;
  timeoutMessage: string;
  signal: AbortSignal;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(request: OutgoingRequest, options: SendOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const client = request.url.protocol === 'https:' ? https : http;
    const req = client.request(request.url, {
      method: request.method,
      headers: request.headers,
      lookup: options.lookup,
      rejectUnauthorized: options.rejectUnauthorized,
      signal: options.signal,
    });
    const timer = setTimeout(() => req.destroy(new Error(options.timeoutMessage)), options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(options.signal.aborted && options.signal.reason instanceof Error ? options.signal.reason : error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(request.body ?? undefined);
  });
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  if (body.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}
