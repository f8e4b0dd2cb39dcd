// command_executor (spec 5.1): a shell command in its own process group, so that cancelling or timing
// out kills everything it started, not just the shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { ExecutorFn, JsonObject } from '../types';
import type { ExecutorHost } from './host';
import { endGroup, forgetEndedGroups, trackGroup } from './process-groups';

export const OUTPUT_CAP_BYTES = 1024 * 1024;
export const TRUNCATION_MARKER = '\n[output truncated: more than 1 MiB]';
const STDERR_IN_ERROR = 2000;

export function commandExecutor(host: ExecutorHost): ExecutorFn {
  return (inputs, context) =>
    new Promise((resolve, reject) => {
      const seconds = typeof inputs.timeout === 'number' ? inputs.timeout : 30;
      const cwd = typeof inputs.cwd === 'string' ? resolvePath(host.treeDir, inputs.cwd) : host.treeDir;
      const child = spawn(String(inputs.command), {
        shell: true,
        cwd,
        env: { ...host.env, ...stringValues(inputs.env) },
        // Its own process group (POSIX), so that a kill reaches the command's children too.
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      if (child.pid !== undefined && process.platform !== 'win32') {
        forgetEndedGroups();
        trackGroup(child.pid);
      }
      const stdout = new CappedOutput();
      const stderr = new CappedOutput();
      const forward = (output: CappedOutput) => {
        const decoder = new StringDecoder('utf8');
        return (chunk: Buffer) => {
          output.add(chunk);
          const text = decoder.write(chunk);
          if (text) context.log(text);
        };
      };
      child.stdout?.on('data', forward(stdout));
      child.stderr?.on('data', forward(stderr));

      const { signal } = context;
      const stop = (error: Error) => {
        killGroup(child);
        finish();
        reject(error);
      };
      const timer = setTimeout(() => stop(new Error(`Command timed out after ${seconds} s`)), seconds * 1000);
      const onAbort = () => stop(signal.reason instanceof Error ? signal.reason : new Error('Command aborted'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };

      child.on('error', (error) => {
        finish();
        reject(new Error(`Could not run the command in ${cwd}: ${error.message}`));
      });
      child.on('close', (code, killedBy) => {
        finish();
        if (code === 0) {
          resolve({ success: true, return_code: 0, stdout: stdout.text().trim(), stderr: stderr.text().trim() });
          return;
        }
        // Python's convention (apflow's): a command killed by signal N has return code -N.
        const returnCode = code ?? -(killedBy ? constants.signals[killedBy] : 0);
        const tail = stderr.text().trim().slice(-STDERR_IN_ERROR);
        reject(new Error(`Command failed with return code ${returnCode}${tail ? `: ${tail}` : ' (it wrote nothing to stderr)'}`));
      });
    });
}

function stringValues(env: unknown): Record<string, string> {
  if (typeof env !== 'object' || env === null) return {};
  return Object.fromEntries(Object.entries(env as JsonObject).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function killGroup(child: ChildProcess): void {
  // Even when the shell has exited, its background children may still hold the group; a process that
  // ignores SIGTERM is not allowed to outlive its task (endGroup sends KILL after the grace period).
  if (process.platform === 'win32') child.kill('SIGTERM');
  else if (child.pid !== undefined) void endGroup(child.pid);
}

/** Keeps the first 1 MiB of a stream and marks the cut. */
class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private truncated = false;

  add(chunk: Buffer): void {
    const room = OUTPUT_CAP_BYTES - this.bytes;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    if (chunk.length > room) this.truncated = true;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.bytes += kept.length;
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.truncated ? text + TRUNCATION_MARKER : text;
  }
}
