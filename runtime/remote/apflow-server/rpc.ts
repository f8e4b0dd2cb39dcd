// The JSON-RPC 2.0 client of apflow 0.18.1's API server: every call is `POST /tasks` with a Bearer token
// when the server has a secret (api/a2a/custom_starlette_app.py, api/routes/tasks.py). Every failure
// becomes a ServerError whose message a user can act on; nothing here throws a stack trace at them.
import { SseParser, type SseMessage } from './sse';

/** apflow's code for a missing or refused token (HTTP 401). */
export const UNAUTHORIZED = -32001;
const REQUEST_TIMEOUT_MS = 30_000;

export type ServerErrorKind = 'auth' | 'unreachable' | 'protocol' | 'server' | 'cancelled';

export class ServerError extends Error {
  constructor(
    message: string,
    readonly kind: ServerErrorKind,
    /** The JSON-RPC error code, when the server sent one. */
    readonly code: number | null = null,
  ) {
    super(message);
  }
}

export interface ServerEndpoint {
  /** The server's base URL, e.g. http://127.0.0.1:8000 (no trailing slash). */
  url: string;
  token: string | null;
  /** Where the token came from, for the refusal message: "the variable APFLOW_TOKEN", "the token stored for it". */
  tokenSource: string;
  requestTimeoutMs?: number;
}

/** The base URL as given, checked: http(s) only, no trailing slash. Throws a ServerError naming the problem. */
export function serverUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new ServerError(`'${given}' is not a server URL: give one like http://127.0.0.1:8000`, 'protocol');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ServerError(`'${given}' is not an http:// or https:// URL`, 'protocol');
  if (url.username || url.password) throw new ServerError(`the server URL must not carry a user or password: give the token with the token variable instead`, 'protocol');
  return url.toString().replace(/\/+$/, '');
}

interface RpcReply {
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

export class ApflowServerClient {
  private nextId = 1;

  constructor(readonly endpoint: ServerEndpoint) {}

  /** One JSON-RPC call; resolves to its `result`. */
  async call<T>(method: string, params: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.post(method, params, signal);
    const reply = await this.reply(response, method);
    return reply.result as T;
  }

  /**
   * A call answered with an event stream (`tasks.execute` with `use_streaming`): resolves once the stream
   * ends cleanly; `onMessage` sees every message as it arrives. A connection lost midway rejects with an
   * 'unreachable' ServerError; an answer that is not a stream is read as a JSON-RPC reply (an error).
   */
  async stream(method: string, params: unknown, onMessage: (message: SseMessage) => void, signal?: AbortSignal): Promise<void> {
    const response = await this.post(method, params, signal, false);
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      await this.reply(response, method);
      throw new ServerError(`the server answered ${method} without an event stream`, 'protocol');
    }
    const parser = new SseParser();
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const message of parser.push(decoder.decode(chunk, { stream: true }))) onMessage(message);
      }
    } catch (error) {
      if (signal?.aborted) throw new ServerError('cancelled', 'cancelled');
      throw new ServerError(`lost the connection to the apflow server at ${this.endpoint.url} (${reasonOf(error)})`, 'unreachable');
    }
    for (const message of parser.end()) onMessage(message);
  }

  /** `GET /tasks/methods`: the method names the server offers. */
  async methods(): Promise<string[]> {
    const response = await this.send(`${this.endpoint.url}/tasks/methods`, { method: 'GET', headers: this.headers() }, undefined, true);
    if (response.status === 401) await this.reply(response, 'GET /tasks/methods');
    const body = response.ok ? await response.json().catch(() => null) : null;
    if (body === null || typeof body !== 'object') {
      throw new ServerError(
        `${this.endpoint.url} does not speak apflow 0.18's JSON-RPC API (GET /tasks/methods answered HTTP ${response.status}). Only apflow 0.18's server is supported: apflow 0.20's \`serve\` has no /tasks API and cannot execute a task`,
        'protocol',
      );
    }
    return [...JSON.stringify(body).matchAll(/"method":\s*"([^"]+)"/g)].map((m) => m[1]);
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.endpoint.token) headers.authorization = `Bearer ${this.endpoint.token}`;
    return headers;
  }

  private post(method: string, params: unknown, signal: AbortSignal | undefined, timed = true): Promise<Response> {
    const body = JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params });
    return this.send(`${this.endpoint.url}/tasks`, { method: 'POST', headers: this.headers(), body }, signal, timed);
  }

  private async send(url: string, init: RequestInit, signal: AbortSignal | undefined, timed: boolean): Promise<Response> {
    const signals = [signal, timed ? AbortSignal.timeout(this.endpoint.requestTimeoutMs ?? REQUEST_TIMEOUT_MS) : undefined].filter((s): s is AbortSignal => s !== undefined);
    try {
      return await fetch(url, { ...init, signal: signals.length > 0 ? AbortSignal.any(signals) : undefined });
    } catch (error) {
      if (signal?.aborted) throw new ServerError('cancelled', 'cancelled');
      throw new ServerError(`cannot reach the apflow server at ${this.endpoint.url} (${reasonOf(error)})`, 'unreachable');
    }
  }

  /** The reply's JSON-RPC envelope; its error, or an HTTP failure, as a ServerError. */
  private async reply(response: Response, method: string): Promise<RpcReply> {
    const text = await response.text().catch(() => '');
    let reply: RpcReply | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') reply = parsed as RpcReply;
    } catch {
      // Not JSON: reported below with the HTTP status.
    }
    const code = typeof reply?.error?.code === 'number' ? reply.error.code : null;
    if (response.status === 401 || code === UNAUTHORIZED) {
      const data = typeof reply?.error?.data === 'string' ? reply.error.data : 'Unauthorized';
      const missing = this.endpoint.token ? '' : ' No token was given.';
      throw new ServerError(`the apflow server at ${this.endpoint.url} refused the token (${data}).${missing} Check ${this.endpoint.tokenSource}`, 'auth', code);
    }
    if (reply?.error) {
      const message = typeof reply.error.message === 'string' ? reply.error.message : 'error';
      const data = typeof reply.error.data === 'string' && reply.error.data ? `: ${reply.error.data}` : '';
      throw new ServerError(`the apflow server answered ${method} with ${message}${data}`, 'server', code);
    }
    if (!response.ok || reply === null || !('result' in reply)) {
      throw new ServerError(`the apflow server at ${this.endpoint.url} answered ${method} with HTTP ${response.status}, not a JSON-RPC reply`, 'protocol');
    }
    return reply;
  }
}

function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
