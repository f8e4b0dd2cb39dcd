// The `context` an executor receives (spec 1.4). Most executors never read `signal` or `task`, so both
// are built on first access: an AbortController and a record copy per task would be most of the
// runtime's cost on a 10,000-task tree of quick tasks.
import { taskView, type ExecutorContext, type TaskRecord, type TaskView } from './types';

export interface ContextSink {
  log(text: string): void;
  progress(fraction: number): void;
}

export class TaskContext implements ExecutorContext {
  private controller: AbortController | null = null;
  private reason: Error | null = null;
  private view: TaskView | null = null;
  private open = true;

  // Arrow properties: executors often destructure `{ log, progress }` from the context.
  readonly log = (text: string): void => {
    if (this.open) this.sink.log(String(text));
  };

  readonly progress = (fraction: number): void => {
    if (this.open && Number.isFinite(fraction)) this.sink.progress(Math.min(1, Math.max(0, fraction)));
  };

  constructor(
    private readonly record: TaskRecord,
    private readonly sink: ContextSink,
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
