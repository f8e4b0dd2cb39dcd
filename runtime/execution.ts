// One task's time in `in_progress`: input validation, attempts with backoff, the per-task timeout and
// the success/failure rules of spec 5.3. (The cancellation grace period is the run's: see run.ts.)
import { backoffDelayMs } from './backoff';
import { userStack } from './stack';
import { beginAttempt, endAttempt, type Outcome } from './lifecycle';
import { TaskContext, type ContextSink } from './task-context';
import { isMapping, type JsonObject, type PlanTask, type TaskRecord } from './types';

export interface ExecutionHost extends ContextSink {
  attemptFailed(index: number, attempt: number, error: string, retryInMs: number): void;
  random(): number;
  /** The run's clock (epoch ms, never going backwards). */
  now(): number;
}

export const CANCELLED_BY_USER = 'Cancelled by user';
export const CANCELLED: Outcome = { status: 'cancelled', result: null, error: CANCELLED_BY_USER };

class TimeoutError extends Error {}

export class TaskExecution {
  private cancelled = false;
  private context: TaskContext | null = null;
  /** Ends a backoff delay early when the run is cancelled. */
  private wake: (() => void) | null = null;

  constructor(
    private readonly task: PlanTask,
    private readonly record: TaskRecord,
    private readonly host: ExecutionHost,
    private readonly index: number,
  ) {}

  async run(inputs: JsonObject): Promise<Outcome> {
    const violation = this.task.validateInputs?.(inputs);
    if (violation) return { status: 'failed', result: null, error: violation };
    for (let attempt = 1; ; attempt++) {
      this.record.attempt_count = attempt;
      const current = beginAttempt(this.record, this.host.now());
      const context = new TaskContext(this.record, this.host, this.index);
      this.context = context;
      let error: string | null = null;
      let value: unknown;
      try {
        value = await this.attempt(inputs, context);
      } catch (thrown) {
        // What an executor throws once cancelled is the cancellation itself: no stack for the log.
        error = this.cancelled ? CANCELLED_BY_USER : this.describe(thrown);
      } finally {
        context.close();
      }
      // A cancelled attempt is ended by the run, with the cancellation's reason (lifecycle.finish).
      if (this.cancelled) return CANCELLED;
      if (error === null) {
        const outcome = outcomeOf(value);
        endAttempt(current, outcome.status, this.host.now(), outcome.error);
        return outcome;
      }
      endAttempt(current, 'failed', this.host.now(), error);
      // A returned `error` mapping is final; only throws and timeouts are retried (apflow v2).
      if (attempt >= this.task.maxAttempts) return { status: 'failed', result: null, error };
      const delay = backoffDelayMs(this.task.backoffStrategy, this.task.backoffBaseSeconds, attempt - 1, this.host.random);
      this.host.attemptFailed(this.index, attempt, error, delay);
      await this.sleep(delay);
      if (this.cancelled) return CANCELLED;
    }
  }

  /** Aborts the executor's signal and ends a backoff wait; the run decides when the task is cancelled. */
  cancel(reason: string = CANCELLED_BY_USER): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.context?.abort(new Error(reason));
    this.wake?.();
  }

  /** The executor's result; with a `timeout`, a rejection once it elapses (and the signal aborted). */
  private attempt(inputs: JsonObject, context: TaskContext): unknown {
    const value = this.task.execute(inputs, context);
    const seconds = this.task.timeoutSeconds;
    if (seconds === null || !isThenable(value)) return value;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const timeout = new TimeoutError(`Timed out after ${seconds} s`);
        context.abort(timeout);
        reject(timeout);
      }, seconds * 1000);
      value.then(
        (returned) => {
          clearTimeout(timer);
          resolve(returned);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private describe(error: unknown): string {
    // The stack goes to the task's log, never into `error` (spec 5.3), and only the user's frames of
    // it (stack.ts); a timeout has no useful stack.
    const stack = error instanceof Error && !(error instanceof TimeoutError) && error.stack ? userStack(error.stack) : null;
    if (stack) this.host.log(this.index, stack);
    return errorMessage(error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => {
      this.wake = null;
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

function errorMessage(error: unknown): string {
  if (error instanceof Error) return nonEmpty(error.message, error.name);
  return nonEmpty(typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)));
}

function nonEmpty(message: string | undefined, kind = 'error'): string {
  return message ? message : `${kind} (without a message)`;
}
