// The ready set as a binary heap: lowest priority value first, then file order (spec 3.3). A heap keeps
// a 10,000-task wide tree at O(log n) per start instead of re-sorting the ready list.

export class ReadyQueue {
  private readonly heap: number[] = [];

  /** `rank(i)` orders tasks; it must be a total order (priority and file position make one). */
  constructor(private readonly rank: (task: number) => number) {}

  push(task: number): void {
    const heap = this.heap;
    let i = heap.push(task) - 1;
    const r = this.rank(task);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.rank(heap[parent]) <= r) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = task;
  }

  /** The first ready task, or -1 when none is ready. */
  pop(): number {
    const heap = this.heap;
    if (heap.length === 0) return -1;
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      const r = this.rank(last);
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= heap.length) break;
        if (child + 1 < heap.length && this.rank(heap[child + 1]) < this.rank(heap[child])) child++;
        if (this.rank(heap[child]) >= r) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  /** Restores the order after ranks changed (rare: a hook's update_task of a priority), in O(n log n). */
  reorder(): void {
    for (const task of this.heap.splice(0)) this.push(task);
  }

  clear(): number[] {
    return this.heap.splice(0);
  }
}
