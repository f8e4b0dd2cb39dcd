// What the server tells its user in the editor's log (the "apflow" output channel in VS Code): when it
// was ready and how long opening each document took, stamped with the server's own clock, since an
// editor stamps a log line when it writes it, which can be much later while it is busy.
import { basename } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';

/** `12:02:33.123`: the local time of day to the millisecond. */
export function timeOfDay(date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

const count = new Intl.NumberFormat('en-US');

const analysed = (tasks: number, ms: number) => `${count.format(tasks)} ${tasks === 1 ? 'task' : 'tasks'} analysed in ${count.format(Math.round(ms))} ms`;

export class ServerLog {
  /** Lines written before the client finished initialising, which LSP does not let us send yet. */
  private early: string[] | null = [];

  constructor(private readonly connection: Connection) {}

  /** `performance.now()` counts from the start of the process: how long loading the server took. */
  ready(name: string, version: string): void {
    const early = this.early ?? [];
    this.early = null;
    this.send(`${timeOfDay()} ${name} ${version} ready ${count.format(Math.round(performance.now()))} ms after its process started (Node ${process.version})`);
    early.forEach((line) => this.send(line));
  }

  /** The first analysis of a document the editor opened. */
  opened(fileName: string, tasks: number, ms: number): void {
    this.info(`opened ${basename(fileName)}: ${analysed(tasks, ms)}`);
  }

  /** The analysis of a file read before the editor opened it (`--prefetch`). */
  prefetched(fileName: string, tasks: number, ms: number): void {
    this.info(`read ${basename(fileName)} before it was opened: ${analysed(tasks, ms)}`);
  }

  private info(text: string): void {
    const line = `${timeOfDay()} ${text}`;
    if (this.early) this.early.push(line);
    else this.send(line);
  }

  private send(line: string): void {
    this.connection.console.info(line);
  }
}
