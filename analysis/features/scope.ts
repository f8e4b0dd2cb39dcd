// Where in the format a path of keys leads (the top level, a task, its `schemas`, a dependency, an
// executor declaration, …), and what the JSON Schema of the format says about the keys there.
import { RUNTIME_FIELDS } from '../checks/task-local';
import { FORMAT_SCHEMA } from '../schema-check';

/** A path of keys from the document root; `[]` stands for any sequence item. */
export type KeyPath = readonly string[];

export const ITEM = '[]';

/** What `priority` 0–3 means (spec 1.2). */
export const PRIORITY_LABELS = ['urgent', 'high', 'normal', 'low'];

export type Scope =
  | { kind: 'root' }
  | { kind: 'tasks' }
  | { kind: 'task' }
  | { kind: 'schemas' }
  | { kind: 'params' }
  | { kind: 'inputs' }
  | { kind: 'dependencies' }
  | { kind: 'dependency' }
  | { kind: 'executors' }
  | { kind: 'declaration'; id: string }
  | { kind: 'hooks' }
  | { kind: 'hook' }
  | { kind: 'env' }
  | { kind: 'other' };

/** The keys of the path below a task, or null when the path does not lead into a task. */
export function withinTask(path: KeyPath, shape: 'mapping' | 'sequence' | 'invalid'): string[] | null {
  if (shape === 'sequence') return path[0] === ITEM ? path.slice(1) : null;
  return path[0] === 'tasks' && path[1] === ITEM ? path.slice(2) : null;
}

/** The scope of the mapping or sequence that `path` leads to. */
export function scopeOf(path: KeyPath, shape: 'mapping' | 'sequence' | 'invalid'): Scope {
  if (shape === 'sequence' && path.length === 0) return { kind: 'tasks' };
  if (path.length === 0) return { kind: 'root' };
  if (shape !== 'sequence' && path.length === 1 && path[0] === 'tasks') return { kind: 'tasks' };
  if (shape !== 'sequence' && path[0] === 'executors') {
    if (path.length === 1) return { kind: 'executors' };
    if (path.length === 2) return { kind: 'declaration', id: path[1] };
    return { kind: 'other' };
  }
  if (shape !== 'sequence' && path[0] === 'hooks') {
    if (path.length === 1) return { kind: 'hooks' };
    return path.length === 3 && path[2] === ITEM ? { kind: 'hook' } : { kind: 'other' };
  }
  if (shape !== 'sequence' && path.length === 1 && path[0] === 'env') return { kind: 'env' };
  const rest = withinTask(path, shape);
  if (!rest) return { kind: 'other' };
  if (rest.length === 0) return { kind: 'task' };
  if (rest.length === 1 && (rest[0] === 'schemas' || rest[0] === 'params' || rest[0] === 'inputs' || rest[0] === 'dependencies')) return { kind: rest[0] };
  if (rest.length === 2 && rest[0] === 'dependencies' && rest[1] === ITEM) return { kind: 'dependency' };
  return { kind: 'other' };
}

export interface KeySchema {
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, KeySchema>;
  oneOf?: KeySchema[];
  $ref?: string;
}

const definitions = FORMAT_SCHEMA.definitions as unknown as Record<string, KeySchema>;

function propertiesOf(scope: Scope): Record<string, KeySchema> | null {
  switch (scope.kind) {
    case 'root':
      return definitions.file.properties ?? null;
    case 'task':
      return definitions.task.properties ?? null;
    case 'schemas':
    case 'params':
      return definitions.task.properties?.[scope.kind]?.properties ?? null;
    case 'dependency':
      return definitions.dependency.oneOf?.find((o) => o.properties)?.properties ?? null;
    case 'declaration':
      return definitions.executor.properties ?? null;
    case 'hooks':
    case 'hook':
    case 'env':
      return definitions[scope.kind].properties ?? null;
    default:
      return null;
  }
}

/** The schema of a key in a scope, with `$ref`s to definitions followed (the key's own description wins). */
export function keySchema(scope: Scope, key: string): KeySchema | null {
  const own = propertiesOf(scope)?.[key];
  if (!own) return null;
  const ref = own.$ref?.startsWith('#/definitions/') ? definitions[own.$ref.slice('#/definitions/'.length)] : undefined;
  return ref ? { ...ref, ...own } : own;
}

/** The keys an author may write in a scope, in schema order (runtime fields are not offered). */
export function keysOf(scope: Scope): string[] {
  const keys = Object.keys(propertiesOf(scope) ?? {});
  return scope.kind === 'task' ? keys.filter((k) => !RUNTIME_FIELDS.has(k)) : keys;
}

/** The first sentence of a description: what a completion list shows beside a key. */
export function oneLine(description: string | undefined | null): string {
  if (!description) return '';
  const match = /^(.*?(?<!\be\.g|\bi\.e)[.!?])(\s|$)/.exec(description);
  return (match ? match[1] : description).trim();
}
