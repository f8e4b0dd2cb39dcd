// The part of a file outside its task list: the top-level shape, `version`, `description` and the
// workspace executor declarations (spec 1.1, 1.4), with the checks that need nothing else.
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { isBuiltin } from './catalogue';
import { finding, type Finding, type FixSpec, type Seg } from './findings';
import type { ErrorObject } from 'ajv';
import { compileUserSchema, envErrors, executorDeclErrors, hooksErrors, schemaProblems, unknownKeyAdvice } from './schema-check';
import { keysOf } from './task-facts';
import { resolveTarget, targetOf, type ApflowTarget, type ResolvedTarget } from './target';
import { closest } from './text';
import { keyName, pairOf, pairsOf, scalarText, spanOf, valueOf } from './yaml-nodes';
import { parsePythonRef } from './python/reference';
import type { PythonRef, Span } from './types';

export interface ExecutorDeclFacts {
  id: string;
  idSpan: Span;
  pairSpan: Span;
  module: string | null;
  moduleSpan: Span | null;
  exportName: string;
  /** A `python:` reference that parsed; a malformed one is a schema finding and null here. */
  python: PythonRef | null;
  pythonSpan: Span | null;
  description: string | null;
  inputSchema: Record<string, unknown> | null;
}

export const HOOK_LISTS = ['pre', 'post', 'on_tree_started', 'on_tree_completed', 'on_tree_failed'] as const;
export type HookList = (typeof HOOK_LISTS)[number];

/** One entry of a `hooks:` list: a JS module's export or a `python:` reference. */
export interface HookDeclFacts {
  list: HookList;
  module: string | null;
  moduleSpan: Span | null;
  exportName: string;
  python: string | null;
  pythonSpan: Span | null;
}

export interface HeaderFacts {
  shape: 'mapping' | 'sequence' | 'invalid';
  version: unknown;
  description: string | null;
  executors: ExecutorDeclFacts[];
  /** The file's own `apflow_version`, when it names a line (null otherwise). */
  declaredTarget: ApflowTarget | null;
  /** The line the file is checked against: `declaredTarget`, else the host's option, else 0.18. */
  target: ResolvedTarget;
  hooks: HookDeclFacts[];
  /** `env.required`: variables a run needs. */
  requiredEnv: string[];
  /** Where `no-root` points: the `tasks` key, or the first line of a bare sequence. */
  tasksAnchorSpan: Span;
  findings: Finding[];
}

const TOP_LEVEL_KEYS = ['version', 'apflow_version', 'description', 'executors', 'hooks', 'env', 'tasks'];

function firstLineSpan(text: string): Span {
  const end = text.indexOf('\n');
  return { start: 0, end: end === -1 ? text.length : end };
}

/** A declaration's `python:` reference; one that is malformed, or written beside `module:`, is reported. */
function readPythonRef(id: string, moduleNode: Node | null, pythonNode: Node | null, seg: Seg, out: Finding[]): PythonRef | null {
  const text = scalarText(pythonNode);
  const span = spanOf(pythonNode);
  if (text === null || !span) return null;
  if (moduleNode) {
    out.push(finding('schema', `executor \`${id}\` has both \`module\` (JavaScript) and \`python\`: keep the one that holds its code`, { seg, span }, null));
    return null;
  }
  const ref = parsePythonRef(text);
  if (typeof ref === 'string') {
    out.push(finding('schema', `executor \`${id}\`: ${ref}`, { seg, span }, null));
    return null;
  }
  return ref;
}

function readExecutors(node: Node | null, seg: Seg, target: ApflowTarget, out: Finding[]): ExecutorDeclFacts[] {
  if (!node || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) {
    out.push(finding('schema', '`executors` must be a mapping from executor id to its declaration', { seg, span: spanOf(node) ?? { start: 0, end: 0 } }, null));
    return [];
  }
  const decls: ExecutorDeclFacts[] = [];
  for (const pair of pairsOf(node)) {
    const id = keyName(pair);
    const idSpan = spanOf(pair.key);
    if (id === null || !idSpan) continue;
    const declNode = pair.value;
    checkShape(executorDeclErrors, declNode ?? (pair.key as Node), idSpan, ['executors', id], seg, out);
    if (isBuiltin(id, target)) {
      out.push(finding('shadowed-executor', `the workspace executor \`${id}\` has the id of a built-in apflow ${target} executor: rename it`, { seg, span: idSpan }, null));
    }
    const moduleNode = valueOf(declNode, 'module');
    const pythonNode = valueOf(declNode, 'python');
    const python = readPythonRef(id, moduleNode, pythonNode, seg, out);
    const schemaNode = valueOf(declNode, 'input_schema');
    const inputSchema = isMap(schemaNode) ? (schemaNode.toJSON() as Record<string, unknown>) : null;
    if (inputSchema) {
      const compiled = compileUserSchema(inputSchema);
      if (typeof compiled === 'string') {
        out.push(finding('schema', `the input_schema of \`${id}\` is not a valid JSON Schema: ${compiled}`, { seg, span: spanOf(schemaNode) ?? idSpan }, null));
      }
    }
    const valueSpan = spanOf(declNode);
    decls.push({
      id,
      idSpan,
      pairSpan: { start: idSpan.start, end: valueSpan ? valueSpan.end : idSpan.end },
      module: scalarText(moduleNode),
      moduleSpan: spanOf(moduleNode),
      exportName: scalarText(valueOf(declNode, 'export')) ?? 'default',
      python,
      pythonSpan: python ? spanOf(pythonNode) : null,
      description: scalarText(valueOf(declNode, 'description')),
      inputSchema,
    });
  }
  return decls;
}

/** Reports where a node's value breaks its part of the format's schema (unknown keys with did-you-mean). */
function checkShape(errorsOf: (value: unknown) => ErrorObject[] | null, node: Node, fallback: Span, path: string[], seg: Seg, out: Finding[]): void {
  for (const problem of schemaProblems(errorsOf((node as { toJSON?: () => unknown }).toJSON?.()), node, fallback, path)) {
    if (problem.kind === 'unknown-key') {
      const fixes: FixSpec[] = (problem.suggestions ?? []).map((s, i) => ({ kind: 'replace', title: `Change to \`${s}\``, at: { seg, span: problem.span }, text: s, preferred: i === 0 }));
      out.push(finding('unknown-key', `${problem.message}${unknownKeyAdvice(problem.suggestions)}`, { seg, span: problem.span }, null, { fixes }));
    } else {
      out.push(finding('schema', problem.message, { seg, span: problem.span }, null));
    }
  }
}

function readHooks(node: Node | null, seg: Seg, out: Finding[]): HookDeclFacts[] {
  if (!node || (isScalar(node) && node.value === null)) return [];
  checkShape(hooksErrors, node, spanOf(node) ?? { start: 0, end: 0 }, ['hooks'], seg, out);
  const hooks: HookDeclFacts[] = [];
  for (const list of HOOK_LISTS) {
    const entries = valueOf(node, list);
    if (!isSeq(entries)) continue;
    for (const entry of entries.items as Node[]) {
      if (!isMap(entry)) continue;
      const moduleNode = valueOf(entry, 'module');
      const pythonNode = valueOf(entry, 'python');
      hooks.push({
        list,
        module: scalarText(moduleNode),
        moduleSpan: spanOf(moduleNode),
        exportName: scalarText(valueOf(entry, 'export')) ?? 'default',
        python: scalarText(pythonNode),
        pythonSpan: spanOf(pythonNode),
      });
    }
  }
  return hooks;
}

function readRequiredEnv(node: Node | null, seg: Seg, out: Finding[]): string[] {
  if (!node || (isScalar(node) && node.value === null)) return [];
  checkShape(envErrors, node, spanOf(node) ?? { start: 0, end: 0 }, ['env'], seg, out);
  const required = valueOf(node, 'required');
  if (!isSeq(required)) return [];
  return (required.items as Node[]).map((item) => scalarText(item)).filter((name): name is string => name !== null);
}

function duplicateTopKeys(map: YAMLMap, seg: Seg, out: Finding[]): void {
  const seen = new Set<string>();
  for (const { name, key } of keysOf(map)) {
    const span = spanOf(key);
    if (seen.has(name) && span) out.push(finding('yaml-syntax', `Map keys must be unique: \`${name}\` appears more than once at the top level (only the last one counts)`, { seg, span }, null));
    seen.add(name);
  }
}

/**
 * `apflow_version` (ext): the apflow line, as a string (`"0.20"`) or as YAML reads an unquoted
 * `0.20` — the number 0.2, so the text as written is what counts.
 */
function readDeclaredTarget(root: YAMLMap, seg: Seg, out: Finding[]): ApflowTarget | null {
  const node = valueOf(root, 'apflow_version');
  if (!node || (isScalar(node) && node.value === null)) return null;
  const span = spanOf(node);
  const written = isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') && span ? seg.text.slice(span.start, span.end).replace(/^["']|["']$/g, '') : null;
  const target = written === null ? null : targetOf(written);
  if (target === null) {
    const shown = written ?? JSON.stringify(node.toJSON());
    out.push(finding('unsupported-version', `apflow_version ${shown} is not a line these checks know: write "0.18" or "0.20" (any later 0.x is checked as 0.20)`, { seg, span: span ?? firstLineSpan(seg.text) }, null));
  }
  return target;
}

/**
 * Reads the header. `taskItems` is the number of task items found outside this document (item-level
 * parsing), or null when the task list is part of `doc` itself. `option` is the host's target.
 */
export function readHeader(doc: Document.Parsed, seg: Seg, taskItems: number | null, option?: ApflowTarget): HeaderFacts {
  const findings: Finding[] = [];
  const root = doc.contents;
  const fallback = firstLineSpan(seg.text);
  const target = resolveTarget(null, option);
  const base: HeaderFacts = { shape: 'invalid', version: undefined, description: null, executors: [], hooks: [], requiredEnv: [], declaredTarget: null, target, tasksAnchorSpan: fallback, findings };

  if (isSeq(root) || (taskItems !== null && !isMap(root) && (root === null || (isScalar(root) && root.value === null)) && taskItems > 0)) {
    if (taskItems === 0 || (isSeq(root) && root.items.length === 0)) findings.push(finding('schema', 'the task list is empty: add at least one task', { seg, span: fallback }, null));
    return { ...base, shape: 'sequence' };
  }
  if (!isMap(root)) {
    findings.push(finding('schema', 'an apflow file must be a mapping with a `tasks` list, or a list of tasks', { seg, span: spanOf(root) ?? fallback }, null));
    return base;
  }

  duplicateTopKeys(root, seg, findings);
  for (const { name, key } of keysOf(root)) {
    if (TOP_LEVEL_KEYS.includes(name)) continue;
    const span = spanOf(key);
    if (!span) continue;
    const suggestions = closest(name, TOP_LEVEL_KEYS, 2, 3);
    const hint = suggestions.length ? `; did you mean \`${suggestions[0]}\`?` : '.';
    const fixes: FixSpec[] = suggestions.map((s, i) => ({ kind: 'replace', title: `Change to \`${s}\``, at: { seg, span }, text: s, preferred: i === 0 }));
    findings.push(finding('unknown-key', `unknown top-level key \`${name}\`${hint} Only version, apflow_version, description, executors, hooks, env and tasks are read`, { seg, span }, null, { fixes }));
  }
  const declaredTarget = readDeclaredTarget(root, seg, findings);
  const resolved = resolveTarget(declaredTarget, option);

  const versionNode = valueOf(root, 'version');
  const version = isScalar(versionNode) ? versionNode.value : versionNode?.toJSON();
  if (versionNode && version !== 1) {
    findings.push(finding('unsupported-version', `version ${JSON.stringify(version)} is not supported: the only format version is 1`, { seg, span: spanOf(versionNode) ?? fallback }, null));
  }

  const descriptionNode = valueOf(root, 'description');
  const description = isScalar(descriptionNode) && typeof descriptionNode.value === 'string' ? descriptionNode.value : null;
  if (descriptionNode && description === null && !(isScalar(descriptionNode) && descriptionNode.value === null)) {
    findings.push(finding('schema', '`description` must be a string', { seg, span: spanOf(descriptionNode) ?? fallback }, null));
  }

  const executors = readExecutors(valueOf(root, 'executors'), seg, resolved.target, findings);
  const hooks = readHooks(valueOf(root, 'hooks'), seg, findings);
  const requiredEnv = readRequiredEnv(valueOf(root, 'env'), seg, findings);

  const tasksPair = pairOf(root, 'tasks');
  const tasksKeySpan = spanOf(tasksPair?.key as Node | undefined);
  if (!tasksPair) {
    findings.push(finding('schema', 'missing `tasks`: add the list of tasks', { seg, span: spanOf(root.items[0]?.key as Node | undefined) ?? fallback }, null));
  } else if (taskItems === null) {
    const tasks = tasksPair.value;
    if (!isSeq(tasks)) findings.push(finding('schema', '`tasks` must be a list of tasks', { seg, span: spanOf(tasks) ?? tasksKeySpan ?? fallback }, null));
    else if (tasks.items.length === 0) findings.push(finding('schema', '`tasks` is empty: add at least one task', { seg, span: spanOf(tasks) ?? tasksKeySpan ?? fallback }, null));
  }
  return { ...base, shape: 'mapping', version, description, executors, hooks, requiredEnv, declaredTarget, target: resolved, tasksAnchorSpan: tasksKeySpan ?? fallback };
}
