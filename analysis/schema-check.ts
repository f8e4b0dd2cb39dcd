// JSON Schema checks with ajv, compiled once, and the mapping of ajv's errors back to YAML nodes.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Node } from 'yaml';
import type { CatalogueEntry } from './catalogue';
import { PRECOMPILED } from './precompiled';
import { AJV_OPTIONS, builtinValidatorName, definitionRef, FORMAT_SCHEMA } from './shipped-schemas';
import { closest } from './text';
import { nodeAtPath, pointerSteps, spanOf } from './yaml-nodes';
import type { Span } from './types';

/** For schemas users write: each is first checked against the JSON Schema meta-schema. */
const ajv = new Ajv(AJV_OPTIONS);
let trustedAjv: Ajv | undefined;
/**
 * For the schemas this project ships (the format's, the built-in executors' inputs), which their
 * own tests validate: skipping the meta-schema saves compiling it (about 30 ms). Made only when a
 * validator was not compiled at build time (run from source).
 */
function trusted(): Ajv {
  if (!trustedAjv) {
    trustedAjv = new Ajv({ ...AJV_OPTIONS, validateSchema: false });
    trustedAjv.addSchema(FORMAT_SCHEMA);
  }
  return trustedAjv;
}

/** A definition of the format's schema, compiled on first use: ajv's errors for a value, or null. */
function definition(name: string): (value: unknown) => ErrorObject[] | null {
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= PRECOMPILED[name] ?? trusted().getSchema(definitionRef(name));
    if (!validate) throw new Error(`schemas/apflow.schema.json has no definition '${name}'`);
    return validate(value) ? null : (validate.errors ?? null);
  };
}

export const taskErrors = definition('task');
export const executorDeclErrors = definition('executor');
export const hooksErrors = definition('hooks');
export const envErrors = definition('env');

export { FORMAT_SCHEMA };

const compiled = new Map<string, ValidateFunction | string>();
/** By object: the same schema object (a built-in executor's, a declaration's) is not stringified again. */
const compiledObjects = new WeakMap<object, ValidateFunction | string>();
const builtins = new WeakMap<CatalogueEntry, ValidateFunction>();

/** The validator of a built-in executor's input schema (catalogue.ts): compiled at build time, or once here. */
export function builtinInputValidator(entry: CatalogueEntry): ValidateFunction {
  let validate = builtins.get(entry);
  if (!validate) {
    const built = PRECOMPILED[builtinValidatorName(entry.id)];
    // ajv's build-time functions carry no `schema`, which the inputs check reads (known properties, defaults).
    validate = built ? Object.assign(built, { schema: entry.inputSchema }) : trusted().compile(entry.inputSchema);
    builtins.set(entry, validate);
  }
  return validate;
}

/** Compiles a schema written by a user (input_schema), once per distinct schema; a string is the reason it is invalid. */
export function compileUserSchema(schema: unknown): ValidateFunction | string {
  const isObject = typeof schema === 'object' && schema !== null;
  const known = isObject ? compiledObjects.get(schema) : undefined;
  if (known !== undefined) return known;
  const entry = compileByText(schema);
  if (isObject) compiledObjects.set(schema, entry);
  return entry;
}

function compileByText(schema: unknown): ValidateFunction | string {
  const key = JSON.stringify(schema);
  let entry = compiled.get(key);
  if (entry === undefined) {
    try {
      entry = ajv.compile(schema as object);
    } catch (error) {
      entry = error instanceof Error ? error.message : String(error);
    }
    // User schemas change as they are typed; keep the cache from growing without bound.
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, entry);
  }
  return entry;
}

/** The end of an unknown-key message: why it matters and what to write instead. */
export function unknownKeyAdvice(suggestions: readonly string[] | undefined): string {
  const hint = suggestions?.length ? `; did you mean \`${suggestions[0]}\`?` : ': remove it or fix its spelling';
  return `: apflow silently drops keys it does not know${hint}`;
}

export interface SchemaProblem {
  kind: 'unknown-key' | 'invalid';
  message: string;
  span: Span;
  /** For unknown-key: the closest known keys. */
  suggestions?: string[];
  /** For a missing required key: its name. */
  missing?: string;
}

function quoted(steps: string[]): string {
  return steps.length ? `\`${steps.join('.')}\`` : 'the value';
}

function describe(error: ErrorObject, steps: string[]): string {
  const what = quoted(steps);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `${what} must be ${String(p.type).replace(',', ' or ')}`;
    case 'enum':
      return `${what} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${what} must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength':
      return p.limit === 1 ? `${what} must not be empty` : `${what} must have at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `${what} must have at most ${String(p.limit)} characters`;
    case 'minItems':
      return `${what} must have at least ${String(p.limit)} item(s)`;
    case 'required':
      return steps.length ? `${what} is missing \`${String(p.missingProperty)}\`` : `missing \`${String(p.missingProperty)}\``;
    default:
      return `${what} ${error.message ?? 'is invalid'}`;
  }
}

/** Alternatives (oneOf/anyOf) produce an error per branch; keep the most telling ones. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  const kept: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const path = error.instancePath;
    const underAlternative = [...alternatives].some((a) => path === a);
    if (underAlternative) {
      const deeper = errors.some((e) => e.instancePath.startsWith(`${path}/`));
      if (deeper) continue;
      if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    }
    const key = `${path}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(error);
  }
  // Nested alternatives at one place (a oneOf branch with an anyOf of its own) would report the
  // same value twice: keep the outermost, which ajv reports last.
  const isAlternative = (e: ErrorObject) => e.keyword === 'oneOf' || e.keyword === 'anyOf';
  return kept.filter((e, i) => !isAlternative(e) || !kept.slice(i + 1).some((later) => isAlternative(later) && later.instancePath === e.instancePath));
}

function alternativeMessage(error: ErrorObject, steps: string[]): string {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ? `${quoted(steps)} is invalid: ${description}` : `${quoted(steps)} is invalid`;
}

/**
 * A key as a message shows it: on one line and short. A mapping taken for a key (after a lost `}` in
 * a JSON file, every later task becomes one) would otherwise put the whole rest of the file in the
 * message, once per task.
 */
function keyForMessage(key: string): string {
  const line = key.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * Maps ajv errors on `root`'s data to problems anchored on the YAML nodes. `prefix` is prepended to
 * the path shown in messages (e.g. `inputs`). `fallback` is where problems on the root itself point.
 */
export function schemaProblems(errors: ErrorObject[] | null | undefined, root: Node, fallback: Span, prefix: string[] = []): SchemaProblem[] {
  // Most values are valid: nothing to prune (twice per task of a file).
  if (!errors?.length) return [];
  const problems: SchemaProblem[] = [];
  for (const error of prune(errors)) {
    const steps = pointerSteps(error.instancePath);
    const shown = [...prefix, ...steps];
    if (error.keyword === 'additionalProperties') {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const hit = nodeAtPath(root, [...steps, extra]);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestions = closest(extra, known, 2, 3);
      const where = shown.length ? ` in \`${shown.join('.')}\`` : '';
      problems.push({
        kind: 'unknown-key',
        message: `unknown key \`${keyForMessage(extra)}\`${where}`,
        span: spanOf(hit.key) ?? fallback,
        suggestions,
      });
      continue;
    }
    const hit = nodeAtPath(root, steps);
    const message = error.keyword === 'oneOf' || error.keyword === 'anyOf' ? alternativeMessage(error, shown) : describe(error, shown);
    if (error.keyword === 'required') {
      problems.push({ kind: 'invalid', message, span: spanOf(hit.key) ?? fallback, missing: String((error.params as { missingProperty: string }).missingProperty) });
    } else {
      problems.push({ kind: 'invalid', message, span: spanOf(hit.node) ?? spanOf(hit.key) ?? fallback });
    }
  }
  return problems;
}
