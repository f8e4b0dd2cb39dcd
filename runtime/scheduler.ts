// Readiness and blocking (spec 3.3), without any I/O: the run tells it which tasks settled and asks it
// for the next task to start. Each task keeps a count of unfinished dependencies, so a settlement costs
// O(dependents) and a 10,000-task tree never rescans the whole list.
import { ReadyQueue } from './ready-queue';
import type { PlanTask } from './types';

const WAITING = 0;
const READY = 1;
const RUNNING = 2;
const COMPLETED = 3;
const UNSUCCESSFUL = 4;
/** Stays `pending` for ever; counts as finished unsuccessfully for its dependents. */
const BLOCKED = 5;

export type Settlement = 'completed' | 'failed' | 'cancelled';

export class Scheduler {
  private readonly remaining: Int32Array;
  /** Dependents of task i: dependents[dependentsFrom[i] .. dependentsFrom[i + 1]) (one flat array, not 10,000 small ones). */
  private readonly dependentsFrom: Int32Array;
  private readonly dependents: Int32Array;
  private readonly state: Uint8Array;
  private readonly queue: ReadyQueue;
  private readonly origins = new Map<number, string>();
  private readonly rank: Float64Array;

  /** `onBlocked(task, origin)` hears of each task that can never start, with the id at its origin. */
  constructor(
    private readonly tasks: readonly PlanTask[],
    private readonly onBlocked: (task: number, origin: string) => void,
  ) {
    const n = tasks.length;
    this.remaining = new Int32Array(n);
    this.state = new Uint8Array(n);
    const rank = (this.rank = new Float64Array(n));
    const from = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      rank[i] = tasks[i].priority * n + i;
      this.remaining[i] = tasks[i].dependencies.length;
      for (const dep of tasks[i].dependencies) from[dep.index + 1]++;
    }
    for (let i = 0; i < n; i++) from[i + 1] += from[i];
    const fill = from.slice(0, n);
    this.dependents = new Int32Array(from[n]);
    for (let i = 0; i < n; i++) for (const dep of tasks[i].dependencies) this.dependents[fill[dep.index]++] = i;
    this.dependentsFrom = from;
    this.queue = new ReadyQueue((i) => rank[i]);
  }

  /** Settles carried-over tasks and queues every task that has nothing to wait for. */
  start(): void {
    const carried: number[] = [];
    for (let i = 0; i < this.tasks.length; i++) if (this.tasks[i].carried) carried.push(i);
    // All of them are completed before any is released: a carried task that depends on another
    // carried task must not be queued when its dependency is released.
    for (const i of carried) this.state[i] = COMPLETED;
    for (const i of carried) this.release(i);
    for (let i = 0; i < this.tasks.length; i++) {
      if (this.state[i] === WAITING && this.remaining[i] === 0 && this.evaluate(i)) this.release(i);
    }
  }

  /** The next task to start (lowest priority value, then file order), or -1. */
  next(): number {
    const i = this.queue.pop();
    if (i >= 0) this.state[i] = RUNNING;
    return i;
  }

  /** A hook changed the priority of a task that has not started: it takes its new place among the ready tasks. */
  reprioritize(task: number, priority: number): void {
    if (this.state[task] !== WAITING && this.state[task] !== READY) return;
    this.rank[task] = priority * this.tasks.length + task;
    if (this.state[task] === READY) this.queue.reorder();
  }

  /** Takes every queued task out of the ready set (a cancelled run starts nothing more). */
  withdrawReady(): void {
    for (const i of this.queue.clear()) this.state[i] = WAITING;
  }

  settle(task: number, how: Settlement): void {
    if (this.state[task] !== RUNNING) throw new Error(`task '${this.tasks[task].id}' settled without running`);
    this.state[task] = how === 'completed' ? COMPLETED : UNSUCCESSFUL;
    this.release(task);
  }

  /** Tells the dependents of newly finished tasks; blocked ones finish in turn (iteratively: long chains). */
  private release(first: number): void {
    const finished = [first];
    for (let k = finished.pop(); k !== undefined; k = finished.pop()) {
      for (let j = this.dependentsFrom[k]; j < this.dependentsFrom[k + 1]; j++) {
        const d = this.dependents[j];
        if (--this.remaining[d] === 0 && this.state[d] === WAITING && this.evaluate(d)) finished.push(d);
      }
    }
  }

  /** All dependencies are finished: queue the task, or block it. Returns true when it is blocked. */
  private evaluate(task: number): boolean {
    for (const dep of this.tasks[task].dependencies) {
      const s = this.state[dep.index];
      if (!dep.required || s === COMPLETED) continue;
      // Follow the block back to the task that failed or was cancelled (spec 3.3).
      const origin = s === BLOCKED ? (this.origins.get(dep.index) as string) : this.tasks[dep.index].id;
      this.state[task] = BLOCKED;
      this.origins.set(task, origin);
      this.onBlocked(task, origin);
      return true;
    }
    this.state[task] = READY;
    this.queue.push(task);
    return false;
  }
}
