// One running host.py: spawns the interpreter, speaks the line protocol (messages.ts), and reports why
// it could not start or why it ended, naming the interpreter. Calls in flight when it ends fail with
// that reason; the session (session.ts) decides when to start another.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { HostReply, HostRequest } from './messages';

const STDERR_KEPT = 4000;

export interface CallHandlers {
  reply(reply: Exclude<HostReply, { op: 'ready' }>): void;
  /** The host ended (crash, kill, or it could not start) before the call returned. */
  lost(reason: string): void;
}

/** host.py beside the bundle (dist/python/host.py, copied by esbuild.mjs) or beside this source file. */
export function hostScriptPath(): string {
  const candidates = [join(__dirname, 'python', 'host.py'), join(__dirname, 'host.py')];
  return candidates.find((path) => existsSync(path)) ?? candidates[0];
}

/** Words for the person running the tree: what went wrong with the interpreter and what to do. */
export function notFound(interpreter: string): string {
  return `${interpreter} not found; set apflow.python.interpreter (or pass --python PATH to the CLI)`;
}

export class PythonHostProcess {
  readonly ready: Promise<{ apflow: string | null; python: string }>;
  private readonly child: ChildProcess;
  private readonly calls = new Map<number, CallHandlers>();
  private stderr = '';
  private ended: string | null = null;
  private nextId = 1;

  constructor(
    readonly interpreter: string,
    cwd: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(interpreter, ['-u', hostScriptPath()], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.ready = new Promise((resolve, reject) => {
      const decoder = new StringDecoder('utf8');
      let buffered = '';
      this.child.stdout?.on('data', (chunk: Buffer) => {
        buffered += decoder.write(chunk);
        let end: number;
        while ((end = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          const reply = parse(line);
          if (reply?.op === 'ready') resolve({ apflow: reply.apflow, python: reply.python });
          else if (reply) this.calls.get(reply.id)?.reply(reply);
        }
      });
      this.child.stderr?.on('data', (chunk: Buffer) => {
        this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
      });
      this.child.on('error', (error: NodeJS.ErrnoException) => {
        this.end(error.code === 'ENOENT' ? notFound(interpreter) : `${interpreter} could not be started: ${error.message}`);
        reject(new Error(this.ended ?? ''));
      });
      this.child.on('exit', (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
        const tail = this.stderr.trim().split('\n').slice(-5).join('\n');
        this.end(`the Python host (${interpreter}) ${how}${tail ? `: ${tail}` : ''}`);
        reject(new Error(this.ended ?? ''));
      });
      this.child.stdin?.on('error', () => undefined); // a write after the host died: reported by 'exit'
    });
    this.ready.catch(() => undefined);
  }

  /** Why the host ended, or null while it runs. */
  get endReason(): string | null {
    return this.ended;
  }

  /** Sends an execute request; the handlers get its replies. Returns the call's id. */
  execute(request: Omit<Extract<HostRequest, { op: 'execute' }>, 'op' | 'id'>, handlers: CallHandlers): number {
    const id = this.nextId++;
    if (this.ended !== null) {
      handlers.lost(this.ended);
      return id;
    }
    this.calls.set(id, handlers);
    this.send({ op: 'execute', id, ...request });
    return id;
  }

  /** The call returned or failed: its replies are no longer expected. */
  forget(id: number): void {
    this.calls.delete(id);
  }

  /** Answers a call's request (a hook's repository call) while the call runs. */
  answer(message: Extract<HostRequest, { op: 'repository' }>): void {
    if (this.calls.has(message.id)) this.send(message);
  }

  cancel(id: number): void {
    if (this.calls.has(id)) this.send({ op: 'cancel', id });
  }

  get busy(): boolean {
    return this.calls.size > 0;
  }

  /** Ends the host now: every call in flight fails with `reason`. */
  kill(reason: string): void {
    this.end(reason);
    this.child.kill('SIGKILL');
  }

  /** Asks the host to exit; kills it if it is still there after `graceMs`. */
  shutdown(graceMs = 1000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill('the Python host did not exit when asked'), graceMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.send({ op: 'shutdown' });
      this.child.stdin?.end();
    });
  }

  private send(request: HostRequest): void {
    this.child.stdin?.write(`${JSON.stringify(request)}\n`);
  }

  private end(reason: string): void {
    if (this.ended !== null) return;
    this.ended = reason;
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) call.lost(reason);
  }
}

function parse(line: string): HostReply | null {
  try {
    return JSON.parse(line) as HostReply;
  } catch {
    return null;
  }
}
