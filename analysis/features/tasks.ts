// Finding tasks by offset and reading their spans as absolute offsets. Task indexes are positions in
// `state.tasks`, the same numbering the graph uses.
import { taskLabel as labelOf, taskRef as refOf } from '../identity';
import type { DocumentState, ParsedTask } from '../state';
import type { Span } from '../types';
import { lastAtOrBefore, lineStartOf } from './positions';

export function absolute(task: ParsedTask, span: Span): Span {
  return { start: task.seg.start + span.start, end: task.seg.start + span.end };
}

function nodeStart(task: ParsedTask): number {
  return task.seg.start + task.facts.range[0];
}


/**
 * The span a task occupies: its item (from the line of its `-` to the next item) when the file was
 * parsed item by item, else its mapping node from the start of its line.
 */
function taskExtent(state: DocumentState, index: number): Span {
  const task = state.tasks[index];
  if (state.mode === 'items') return { start: task.seg.start, end: task.seg.start + task.seg.text.length };
  const range = task.facts.range;
  return { start: lineStartOf(state.text, task.seg.start + range[0]), end: task.seg.start + range[2] };
}

/** The index of the task whose extent contains `offset`, or -1. */
export function taskAt(state: DocumentState, offset: number): number {
  const i = lastAtOrBefore(state.tasks, offset, (t) => (state.mode === 'items' ? t.seg.start : lineStartOf(state.text, nodeStart(t))));
  if (i < 0) return -1;
  const extent = taskExtent(state, i);
  return offset >= extent.start && offset <= extent.end ? i : -1;
}

/** How a task is shown to the user (identity.ts). */
export function taskLabel(state: DocumentState, index: number): string {
  return labelOf(state.tasks[index].facts, index);
}

/** How other tasks refer to a task (identity.ts). */
export function taskRef(state: DocumentState, index: number): string | null {
  return refOf(state.tasks[index].facts);
}

export function contains(span: Span | null, offset: number): span is Span {
  return span !== null && offset >= span.start && offset <= span.end;
}
