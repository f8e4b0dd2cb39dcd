// The `context` an executor receives (spec 1.4). Most executors never read `signal`, `task`, `log` or
// `progress`, so each is built on first access: an AbortController, a record copy and two closures per
// task would be most of the runtime's cost on a 10,000-task tree of quick tasks.
import { taskView, type ExecutorContext, type TaskRecord, type TaskView } from './types';

/** Where a task's logs and progress go: the run, which knows the task by its index. */
export interface ContextSink {
  log(index: number, text: string): void;
  progress(index: number, fraction: number): void;
}

export class TaskContext implements ExecutorContext {
  private controller: AbortController | null = null;
  private reason: Error | null = null;
  private view: TaskView | null = null;
  private boundLog: ((text: string) => void) | null = null;
  private boundProgress: ((fraction: number) => void) | null = null;
  private open = true;

  constructor(
    private readonly record: TaskRecord,
    private readonly sink: ContextSink,
    private readonly index: number,
  ) {}

  get task(): TaskView {
    return (this.view ??= taskView(this.record));
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  // Bound functions rather than methods: executors often destructure `{ log, progress }`.
  get log(): (text: string) => void {
    return (this.boundLog ??= (text) => {
      if (this.open) this.sink.log(this.index, String(text));
    });
  }

  get progress(): (fraction: number) => void {
    return (this.boundProgress ??= (fraction) => {
      if (this.open && Number.isFinite(fraction)) this.sink.progress(this.index, Math.min(1, Math.max(0, fraction)));
    });
  }

  abort(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }

  /** After the attempt has ended, late logs and progress from a runaway executor are dropped. */
  close(): void {
    this.open = false;
  }
}
