// Rename (spec 2.3): a task's id rewrites every reference written as that id; a task's name rewrites
// every reference written as that name. Starting from a reference renames what it was written as.
// A new value another task already uses as id or name is refused: references would silently move.
import type { DocumentState } from '../state';
import { preserveQuotes } from '../fixes';
import type { Range, Span, TextEdit } from '../types';
import { locate } from './locate';
import { referenceSpans } from './navigation';
import { rangeOf } from './positions';
import { absolute, taskLabel } from './tasks';

interface Renamable {
  task: number;
  part: 'id' | 'name';
  /** The span under the cursor (the definition or a reference). */
  span: Span;
  current: string;
}

export type PrepareRenameResult = { range: Range; placeholder: string } | { error: string } | null;
export type RenameResult = { edits: TextEdit[] } | { error: string };

const MAX_LENGTH = 255;

function renamableAt(state: DocumentState, offset: number): Renamable | { error: string } | null {
  const target = locate(state, offset);
  if (target?.kind === 'task') {
    const { facts } = state.tasks[target.task];
    return { task: target.task, part: target.part, span: target.span, current: (target.part === 'id' ? facts.id : facts.name) as string };
  }
  if (target?.kind === 'reference') {
    if (target.target === null) return { error: `No task has the id or name '${target.ref}', so there is nothing to rename.` };
    const { facts } = state.tasks[target.target];
    return { task: target.target, part: facts.id === target.ref ? 'id' : 'name', span: target.span, current: target.ref };
  }
  return null;
}

export function prepareRename(state: DocumentState, offset: number): PrepareRenameResult {
  const found = renamableAt(state, offset);
  if (!found || 'error' in found) return found;
  return { range: rangeOf(state, found.span), placeholder: found.current };
}

function refusal(state: DocumentState, what: Renamable, value: string): string | null {
  if (value.trim() === '') return `A task ${what.part} cannot be empty.`;
  if (value.length > MAX_LENGTH) return `A task ${what.part} has at most ${MAX_LENGTH} characters.`;
  const { resolution } = state.graph;
  const byId = resolution.byId.get(value);
  if (byId !== undefined && byId !== what.task) return `'${value}' is already the id of task '${taskLabel(state, byId)}': choose another ${what.part}.`;
  const byName = resolution.byName.get(value);
  if (byName !== undefined && byName !== what.task) return `'${value}' is already the name of task '${taskLabel(state, byName)}': choose another ${what.part}.`;
  return null;
}

export function rename(state: DocumentState, offset: number, newName: string, json: boolean): RenameResult {
  const found = renamableAt(state, offset);
  if (!found) return { error: 'Only a task’s id or name, or a reference to a task, can be renamed.' };
  if ('error' in found) return found;
  const problem = refusal(state, found, newName);
  if (problem) return { error: problem };
  const task = state.tasks[found.task];
  const definitionSpan = found.part === 'id' ? task.facts.idSpan : task.facts.nameSpan;
  const spans: Span[] = definitionSpan ? [absolute(task, definitionSpan)] : [];
  // A reference written as the name resolves by name only when no task has that text as its id.
  const writtenAs = (ref: string) => (found.part === 'id' ? ref === task.facts.id : ref === task.facts.name && ref !== task.facts.id);
  for (const ref of referenceSpans(state, found.task)) {
    const facts = state.tasks[ref.task].facts;
    const text = ref.dep === null ? facts.parentRef : facts.deps[ref.dep].ref;
    if (text !== null && writtenAs(text)) spans.push(ref.span);
  }
  const edits = spans.map((span) => ({ range: rangeOf(state, span), newText: preserveQuotes(state.text.slice(span.start, span.end), newName, json) }));
  return { edits };
}
