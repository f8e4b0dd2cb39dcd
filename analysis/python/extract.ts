// Python source (as a tree-sitter syntax tree) → what a tree file may use from it: the top-level
// classes and functions, and the executors registered with apflow's decorators (FACTS §3.1, §3.2):
//   @executor_register()            on a class with `id = "…"` (and `name`, `description`,
//                                   `inputs_schema` or a `get_input_schema()` returning a dict)
//   @function_executor(id=…, description=…, input_schema=…|input_model=…, name=…)  on a function
// Read from the text alone, never imported, so it is safe in an untrusted workspace.
import type { Node } from 'web-tree-sitter';
import type { Range } from '../types';
import { dictValue, keywordArguments, NOT_LITERAL, stringValue } from './literal';
import { isPydanticModel, modelSchema } from './pydantic';
import type { PythonDefinition, PythonExecutorFacts, PythonFileFacts } from './types';

function rangeOf(node: Node): Range {
  return { start: { line: node.startPosition.row, character: node.startPosition.column }, end: { line: node.endPosition.row, character: node.endPosition.column } };
}

/** Python's `inspect.cleandoc`: the first line stripped, the rest dedented, blank edges removed. */
export function cleandoc(text: string): string {
  const lines = text.replace(/\t/g, '        ').split('\n');
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const margin = indents.length ? Math.min(...indents) : 0;
  const out = [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(margin).trimEnd())];
  while (out.length && !out[0]) out.shift();
  while (out.length && !out[out.length - 1]) out.pop();
  return out.join('\n');
}

/** What a definition's body says, read in one pass: its docstring and, for a class, its attributes and methods. */
interface Body {
  docstring: string | null;
  /** `name = value` and `name: type = value`, by name (the last one wins, as in Python). */
  attributes: Map<string, Node>;
  methods: Map<string, Node>;
}

function readBody(definition: Node): Body {
  const body: Body = { docstring: null, attributes: new Map(), methods: new Map() };
  const statements = definition.childForFieldName('body')?.namedChildren ?? [];
  const isClass = definition.type === 'class_definition';
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    if (!statement) continue;
    if (statement.type === 'expression_statement') {
      const expression = statement.namedChildren[0];
      if (i === 0 && expression) {
        const value = stringValue(expression);
        if (value !== NOT_LITERAL) body.docstring = cleandoc(value) || null;
      }
      if (!isClass) break;
      const left = expression?.type === 'assignment' ? expression.childForFieldName('left') : null;
      const right = expression?.childForFieldName('right');
      if (left?.type === 'identifier' && right) body.attributes.set(left.text, right);
    } else if (!isClass) {
      break;
    } else {
      const fn = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      const name = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
      if (fn && name) body.methods.set(name, fn);
    }
  }
  return body;
}

function text(node: Node | undefined): string | null {
  const value = node ? stringValue(node) : NOT_LITERAL;
  return value === NOT_LITERAL ? null : value;
}

/** The name a decorator calls (`executor_register` for `@apflow.executor_register(...)`), or null when it is not a call. */
function decoratorCall(decorator: Node): { name: string; call: Node } | null {
  const call = decorator.namedChildren[0];
  if (call?.type !== 'call') return null;
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
  return name ? { name, call } : null;
}

/** The Pydantic model class of this file with a given name, if any (looked up only when a schema names one). */
type Models = (name: string) => Node | null;

/** A schema written as a dict literal, or as the name of a Pydantic model class of this file. */
function schemaOf(node: Node | undefined, models: Models): Record<string, unknown> | null {
  if (!node) return null;
  if (node.type === 'identifier') {
    const model = models(node.text);
    return model ? modelSchema(model) : null;
  }
  return dictValue(node);
}

/** The dict literal `get_input_schema()` returns, when its body is just that. */
function returnedDict(method: Node | undefined): Record<string, unknown> | null {
  const returns = (method?.childForFieldName('body')?.namedChildren ?? []).filter((s): s is Node => s?.type === 'return_statement');
  return returns.length === 1 ? dictValue(returns[0].namedChildren[0] ?? null) : null;
}

/** What a class or function says about itself: a class's `name`/`description`/`inputs_schema` attributes (or `get_input_schema()`), a docstring. */
function describe(definition: Node, body: Body, models: Models): Omit<PythonDefinition, 'name' | 'kind' | 'range'> {
  const { docstring, attributes, methods: own } = body;
  if (definition.type !== 'class_definition') return { executable: true, title: null, description: null, docstring, inputSchema: null };
  // An `execute` inherited from a base class of another file cannot be seen here: a class with bases may have one.
  const bases = definition.childForFieldName('superclasses')?.namedChildren.filter((b) => b && b.type !== 'keyword_argument') ?? [];
  return {
    executable: own.has('execute') || bases.length > 0,
    title: text(attributes.get('name')),
    description: text(attributes.get('description')),
    docstring,
    inputSchema: schemaOf(attributes.get('inputs_schema'), models) ?? returnedDict(own.get('get_input_schema')),
  };
}

const REGISTERING = new Set(['executor_register', 'function_executor']);

/** The executor a decorator registers, if it is apflow's `executor_register()` or `function_executor(...)`. */
function registered(definition: PythonDefinition, body: Body, called: { name: string; call: Node }, file: string, models: Models): PythonExecutorFacts | null {
  const base = { kind: definition.kind, symbol: definition.name, docstring: definition.docstring, file, range: definition.range };
  if (called?.name === 'executor_register' && definition.kind === 'class') {
    const id = text(body.attributes.get('id'));
    return id ? { ...base, id, title: definition.title, description: definition.description, inputSchema: definition.inputSchema } : null;
  }
  if (called?.name === 'function_executor' && definition.kind === 'function') {
    const args = keywordArguments(called.call);
    const id = text(args.get('id'));
    const inputSchema = schemaOf(args.get('input_schema'), models) ?? schemaOf(args.get('input_model'), models);
    return id ? { ...base, id, title: text(args.get('name')), description: text(args.get('description')), inputSchema } : null;
  }
  return null;
}

/**
 * The top-level classes, functions and registered executors of one Python file; with `registered`,
 * only the executors (what discovery of a whole workspace needs, at a fraction of the cost).
 */
export function extractPython(root: Node, file: string, scope: 'all' | 'registered' = 'all'): PythonFileFacts {
  const found: { node: Node; decorators: Node[] }[] = [];
  const classes: Node[] = [];
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const node = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (!node || (node.type !== 'class_definition' && node.type !== 'function_definition')) continue;
    if (node.type === 'class_definition') classes.push(node);
    found.push({ node, decorators: statement === node ? [] : statement.namedChildren.filter((n): n is Node => n?.type === 'decorator') });
  }
  const models: Models = (name) => classes.find((c) => c.childForFieldName('name')?.text === name && isPydanticModel(c)) ?? null;
  const definitions: PythonDefinition[] = [];
  const executors: PythonExecutorFacts[] = [];
  for (const { node, decorators } of found) {
    const calls = decorators.map(decoratorCall).filter((c): c is { name: string; call: Node } => c !== null && REGISTERING.has(c.name));
    if (scope === 'registered' && !calls.length) continue;
    const name = node.childForFieldName('name');
    if (!name) continue;
    const body = readBody(node);
    const definition: PythonDefinition = { name: name.text, kind: node.type === 'class_definition' ? 'class' : 'function', range: rangeOf(name), ...describe(node, body, models) };
    if (scope === 'all') definitions.push(definition);
    for (const called of calls) {
      const facts = registered(definition, body, called, file, models);
      if (facts) executors.push(facts);
    }
  }
  return { file, definitions, executors };
}
