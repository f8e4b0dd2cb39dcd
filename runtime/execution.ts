// One task's time in `in_progress`: input validation, attempts with backoff, the per-task timeout and
// cancellation with a grace period (spec 3.5), and the success/failure rules of spec 5.3.
import { backoffDelayMs } from './backoff';
import type { Outcome } from './lifecycle';
import { TaskContext } from './task-context';
import { isMapping, type JsonObject, type PlanTask, type TaskRecord } from './types';

export interface ExecutionHost {
  log(text: string): void;
  progress(fraction: number): void;
  attemptFailed(attempt: number, error: string, retryInMs: number): void;
  random(): number;
  cancelGraceMs: number;
}

type AttemptEnd = { kind: 'returned'; value: unknown } | { kind: 'thrown'; error: string } | { kind: 'cancelled' };

export const CANCELLED_BY_USER = 'Cancelled by user';
const CANCELLED: Outcome = { status: 'cancelled', result: null, error: CANCELLED_BY_USER };

export class TaskExecution {
  private cancelled = false;
  /** Ends what the execution is waiting for (an attempt or a backoff delay) when the run is cancelled. */
  private onCancel: (() => void) | null = null;

  constructor(
    private readonly task: PlanTask,
    private readonly record: TaskRecord,
    private readonly host: ExecutionHost,
  ) {}

  async run(inputs: JsonObject): Promise<Outcome> {
    const violation = this.task.validateInputs?.(inputs);
    if (violation) return { status: 'failed', result: null, error: violation };
    for (let attempt = 1; ; attempt++) {
      this.record.attempt_count = attempt;
      const end = await this.attempt(inputs);
      if (this.cancelled || end.kind === 'cancelled') return CANCELLED;
      if (end.kind === 'returned') return outcomeOf(end.value);
      // A returned `error` mapping is final; only throws and timeouts are retried (apflow v2).
      if (attempt >= this.task.maxAttempts) return { status: 'failed', result: null, error: end.error };
      const delay = backoffDelayMs(this.task.backoffStrategy, this.task.backoffBaseSeconds, attempt - 1, this.host.random);
      this.host.attemptFailed(attempt, end.error, delay);
      await this.sleep(delay);
      if (this.cancelled) return CANCELLED;
    }
  }

  /** Aborts the executor; the task ends as cancelled when it returns or after the grace period. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.onCancel?.();
  }

  private attempt(inputs: JsonObject): Promise<AttemptEnd> | AttemptEnd {
    const context = new TaskContext(this.record, this.host);
    let value: unknown;
    try {
      value = this.task.execute(inputs, context);
    } catch (error) {
      context.close();
      return this.thrown(error);
    }
    if (!isThenable(value)) {
      context.close();
      return { kind: 'returned', value };
    }
    return new Promise<AttemptEnd>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let grace: NodeJS.Timeout | undefined;
      let ended = false;
      const end = (result: AttemptEnd) => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        clearTimeout(grace);
        this.onCancel = null;
        context.close();
        resolve(result);
      };
      const seconds = this.task.timeoutSeconds;
      if (seconds !== null) {
        timer = setTimeout(() => {
          const message = `Timed out after ${seconds} s`;
          context.abort(new Error(message));
          end({ kind: 'thrown', error: message });
        }, seconds * 1000);
      }
      this.onCancel = () => {
        context.abort(new Error(CANCELLED_BY_USER));
        grace = setTimeout(() => end({ kind: 'cancelled' }), this.host.cancelGraceMs);
      };
      value.then(
        (returned) => end({ kind: 'returned', value: returned }),
        (error: unknown) => end(this.thrown(error)),
      );
    });
  }

  private thrown(error: unknown): AttemptEnd {
    // The stack goes to the task's log, never into `error` (spec 5.3).
    if (error instanceof Error && error.stack) this.host.log(error.stack);
    return { kind: 'thrown', error: errorMessage(error) };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.onCancel = done;
    }).finally(() => {
      this.onCancel = null;
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Spec 5.3: a mapping with an `error` key fails the task and keeps the mapping as `result`. */
function outcomeOf(value: unknown): Outcome {
  const result = value === undefined ? null : value;
  if (isMapping(result) && 'error' in result) {
    return { status: 'failed', result, error: nonEmpty(typeof result.error === 'string' ? result.error : JSON.stringify(result.error)) };
  }
  return { status: 'completed', result, error: null };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return nonEmpty(error.message, error.name);
  return nonEmpty(typeof error === 'string' ? error : JSON.stringify(error) ?? String(error));
}

function nonEmpty(message: string | undefined, kind = 'error'): string {
  return message ? message : `${kind} (without a message)`;
}
