// What is at an offset: a task's id or name, a reference, an executor id, an executor declaration or
// its module, or a key. Hover, go to definition, references, rename and call hierarchy start here.
import { isMap, isSeq, type Node } from 'yaml';
import type { DocumentState } from '../state';
import type { Span } from '../types';
import { keyName, pairsOf, spanOf } from '../yaml-nodes';
import { ITEM } from './scope';
import { absolute, contains, taskAt } from './tasks';

export type Target =
  | { kind: 'task'; task: number; part: 'id' | 'name'; span: Span }
  /** A parent_id (`dep` null) or a dependency entry of `task`; `target` is the task it resolves to. */
  | { kind: 'reference'; task: number; dep: number | null; ref: string; target: number | null; span: Span }
  | { kind: 'executor'; task: number; id: string; span: Span }
  | { kind: 'declaration'; id: string; span: Span }
  | { kind: 'module'; id: string; module: string; span: Span }
  /** A declaration's `python:` reference. */
  | { kind: 'python'; id: string; span: Span }
  /** A key; `path` runs from the document root to the key itself (`[]` for sequence items). */
  | { kind: 'key'; path: string[]; span: Span; task: number | null };

export function taskListPath(state: DocumentState): string[] {
  return state.header.facts.shape === 'sequence' ? [] : ['tasks'];
}

/** The key under `offset` in a mapping node, searched through nested mappings and sequences. */
function keyAt(node: Node | null, rel: number, path: string[]): { path: string[]; span: Span } | null {
  if (isSeq(node)) {
    for (const item of node.items) {
      const span = spanOf(item as Node);
      if (span && rel >= span.start && rel <= span.end) return keyAt(item as Node, rel, [...path, ITEM]);
    }
    return null;
  }
  for (const pair of pairsOf(node)) {
    const name = keyName(pair);
    const keySpan = spanOf(pair.key);
    if (name !== null && contains(keySpan, rel)) return { path: [...path, name], span: keySpan };
    const valueSpan = spanOf(pair.value);
    if (name !== null && valueSpan && rel >= valueSpan.start && rel <= valueSpan.end && (isMap(pair.value) || isSeq(pair.value))) {
      return keyAt(pair.value, rel, [...path, name]);
    }
  }
  return null;
}

function locateInTask(state: DocumentState, i: number, offset: number): Target | null {
  const task = state.tasks[i];
  const { facts } = task;
  const rel = offset - task.seg.start;
  const { resolution } = state.graph;
  if (facts.id !== null && contains(facts.idSpan, rel)) return { kind: 'task', task: i, part: 'id', span: absolute(task, facts.idSpan) };
  if (facts.name !== null && contains(facts.nameSpan, rel)) return { kind: 'task', task: i, part: 'name', span: absolute(task, facts.nameSpan) };
  if (facts.hasParent && facts.parentRef !== null && contains(facts.parentSpan, rel)) {
    const target = resolution.parent[i];
    return { kind: 'reference', task: i, dep: null, ref: facts.parentRef, target: target >= 0 ? target : null, span: absolute(task, facts.parentSpan) };
  }
  for (let k = 0; k < facts.deps.length; k++) {
    const dep = facts.deps[k];
    if (dep.ref !== null && contains(dep.span, rel)) {
      const target = resolution.depTargets[i]?.[k] ?? -1;
      return { kind: 'reference', task: i, dep: k, ref: dep.ref, target: target >= 0 ? target : null, span: absolute(task, dep.span) };
    }
  }
  if (facts.executor !== null && contains(facts.executorSpan, rel)) return { kind: 'executor', task: i, id: facts.executor, span: absolute(task, facts.executorSpan) };
  const key = keyAt(facts.node, rel, [...taskListPath(state), ITEM]);
  return key && { kind: 'key', path: key.path, span: absolute(task, key.span), task: i };
}

function locateInHeader(state: DocumentState, offset: number): Target | null {
  const { header } = state;
  const rel = offset - header.seg.start;
  for (const decl of header.facts.executors) {
    if (contains(decl.idSpan, rel)) return { kind: 'declaration', id: decl.id, span: decl.idSpan };
    if (decl.module !== null && contains(decl.moduleSpan, rel)) return { kind: 'module', id: decl.id, module: decl.module, span: decl.moduleSpan };
    if (decl.python !== null && decl.pythonSpan && contains(decl.pythonSpan, rel)) return { kind: 'python', id: decl.id, span: decl.pythonSpan };
  }
  if (header.facts.shape !== 'mapping') return null;
  const key = keyAt(header.doc.contents as Node | null, rel, []);
  return key && { kind: 'key', path: key.path, span: { start: header.seg.start + key.span.start, end: header.seg.start + key.span.end }, task: null };
}

export function locate(state: DocumentState, offset: number): Target | null {
  const i = taskAt(state, offset);
  return i >= 0 ? locateInTask(state, i, offset) : locateInHeader(state, offset);
}
