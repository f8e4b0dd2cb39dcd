// Go to definition and find references (spec 2.3). A reference resolves the apflow way (id first,
// then name); the references of a task are every parent_id and dependency that resolves to it.
import { executorModulePath } from '../identity';
import { isAbsolute } from 'node:path';
import type { DocumentState } from '../state';
import type { Range, Span } from '../types';
import { executorInfo } from './executors';
import { graphIndex } from './graph-index';
import { locate, type Target } from './locate';
import { rangeOf } from './positions';
import { absolute } from './tasks';

/** A place in this document, or in another file: the start of an executor module, or a Python class or function. */
export type FeatureLocation = { range: Range } | { path: string; range?: Range };

/** The task a target names: the task itself, or the task a reference resolves to. */
export function targetTask(target: Target | null): number | null {
  if (target?.kind === 'task') return target.task;
  if (target?.kind === 'reference') return target.target;
  return null;
}

/** Where a task is defined: its id, else its name, else its first key. */
export function taskDefinitionSpan(state: DocumentState, j: number): Span {
  const task = state.tasks[j];
  const { facts } = task;
  return absolute(task, facts.idSpan ?? facts.nameSpan ?? facts.firstKeySpan);
}

/** Every parent_id and dependency entry that resolves to task `j`, in file order. */
export function referenceSpans(state: DocumentState, j: number): { task: number; dep: number | null; span: Span }[] {
  const index = graphIndex(state);
  const out: { task: number; dep: number | null; span: Span }[] = [];
  for (const child of index.children[j]) {
    const task = state.tasks[child];
    if (task.facts.parentSpan) out.push({ task: child, dep: null, span: absolute(task, task.facts.parentSpan) });
  }
  for (const { task: i, dep } of index.incoming[j]) {
    const task = state.tasks[i];
    const span = task.facts.deps[dep]?.span;
    if (span) out.push({ task: i, dep, span: absolute(task, span) });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

function declarationSpan(state: DocumentState, id: string): Span | null {
  const decl = state.header.facts.executors.find((d) => d.id === id);
  return decl ? { start: state.header.seg.start + decl.idSpan.start, end: state.header.seg.start + decl.idSpan.end } : null;
}

export function definition(state: DocumentState, offset: number, fileDir: string | null): FeatureLocation[] {
  const target = locate(state, offset);
  if (!target) return [];
  const j = targetTask(target);
  if (j !== null) return [{ range: rangeOf(state, taskDefinitionSpan(state, j)) }];
  if (target.kind === 'executor' || target.kind === 'declaration' || target.kind === 'python') {
    // A declaration leads to its Python code; a task's executor to its declaration, else to the Python code that registers it.
    const span = target.kind === 'executor' ? declarationSpan(state, target.id) : null;
    if (span) return [{ range: rangeOf(state, span) }];
    const code = executorInfo(state, target.id)?.location;
    if (code) return [{ path: code.file, range: code.range }];
    const own = declarationSpan(state, target.id);
    return own && target.kind !== 'python' ? [{ range: rangeOf(state, own) }] : [];
  }
  if (target.kind === 'module') {
    // An unsaved buffer has no folder for a relative module to be in.
    if (fileDir === null) return isAbsolute(target.module) ? [{ path: target.module }] : [];
    return [{ path: executorModulePath(fileDir, target.module) }];
  }
  return [];
}

export function references(state: DocumentState, offset: number, includeDeclaration: boolean): Range[] {
  const target = locate(state, offset);
  if (!target) return [];
  const j = targetTask(target);
  const spans: Span[] = [];
  if (j !== null) {
    if (includeDeclaration) spans.push(taskDefinitionSpan(state, j));
    spans.push(...referenceSpans(state, j).map((r) => r.span));
  } else if (target.kind === 'executor' || target.kind === 'declaration') {
    // The tasks that use an executor, and its declaration.
    const decl = declarationSpan(state, target.id);
    if (includeDeclaration && decl) spans.push(decl);
    for (const task of state.tasks) if (task.facts.executor === target.id && task.facts.executorSpan) spans.push(absolute(task, task.facts.executorSpan));
  }
  return spans.map((span) => rangeOf(state, span));
}
