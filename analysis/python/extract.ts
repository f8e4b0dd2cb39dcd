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

function bodyStatements(definition: Node): Node[] {
  return (definition.childForFieldName('body')?.namedChildren ?? []).filter((n): n is Node => n !== null);
}

function docstringOf(definition: Node): string | null {
  const first = bodyStatements(definition)[0];
  const expression = first?.type === 'expression_statement' ? first.namedChildren[0] : null;
  const value = expression ? stringValue(expression) : NOT_LITERAL;
  return value === NOT_LITERAL ? null : cleandoc(value) || null;
}

/** `name = value` and `name: type = value` in a class body, by name (the last one wins, as in Python). */
function classAttributes(cls: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const statement of bodyStatements(cls)) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const right = assignment?.childForFieldName('right');
    if (left?.type === 'identifier' && right) out.set(left.text, right);
  }
  return out;
}

function methods(cls: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const statement of bodyStatements(cls)) {
    const fn = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const name = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
    if (fn && name) out.set(name, fn);
  }
  return out;
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

/** A schema written as a dict literal, or as the name of a Pydantic model class of this file. */
function schemaOf(node: Node | undefined, models: ReadonlyMap<string, Node>): Record<string, unknown> | null {
  if (!node) return null;
  if (node.type === 'identifier') {
    const model = models.get(node.text);
    return model ? modelSchema(model) : null;
  }
  return dictValue(node);
}

/** The dict literal `get_input_schema()` returns, when its body is just that. */
function returnedDict(method: Node | undefined): Record<string, unknown> | null {
  const returns = method ? bodyStatements(method).filter((s) => s.type === 'return_statement') : [];
  return returns.length === 1 ? dictValue(returns[0].namedChildren[0] ?? null) : null;
}

/** What a class or function says about itself: a class's `name`/`description`/`inputs_schema` attributes (or `get_input_schema()`), a docstring. */
function describe(definition: Node, models: ReadonlyMap<string, Node>): Omit<PythonDefinition, 'name' | 'kind' | 'range'> {
  const docstring = docstringOf(definition);
  if (definition.type !== 'class_definition') return { executable: true, title: null, description: null, docstring, inputSchema: null };
  const attributes = classAttributes(definition);
  const own = methods(definition);
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
function registered(definition: PythonDefinition, node: Node, called: { name: string; call: Node }, file: string, models: ReadonlyMap<string, Node>): PythonExecutorFacts | null {
  const base = { kind: definition.kind, symbol: definition.name, docstring: definition.docstring, file, range: definition.range };
  if (called?.name === 'executor_register' && definition.kind === 'class') {
    const id = text(classAttributes(node).get('id'));
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
  const models = new Map<string, Node>();
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const node = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (!node || (node.type !== 'class_definition' && node.type !== 'function_definition') || !node.childForFieldName('name')) continue;
    if (node.type === 'class_definition' && isPydanticModel(node)) models.set(node.childForFieldName('name')?.text ?? '', node);
    found.push({ node, decorators: statement === node ? [] : statement.namedChildren.filter((n): n is Node => n?.type === 'decorator') });
  }
  const definitions: PythonDefinition[] = [];
  const executors: PythonExecutorFacts[] = [];
  for (const { node, decorators } of found) {
    const calls = decorators.map(decoratorCall).filter((c): c is { name: string; call: Node } => c !== null && REGISTERING.has(c.name));
    if (scope === 'registered' && !calls.length) continue;
    const name = node.childForFieldName('name') as Node;
    const definition: PythonDefinition = { name: name.text, kind: node.type === 'class_definition' ? 'class' : 'function', range: rangeOf(name), ...describe(node, models) };
    if (scope === 'all') definitions.push(definition);
    for (const called of calls) {
      const facts = registered(definition, node, called, file, models);
      if (facts) executors.push(facts);
    }
  }
  return { file, definitions, executors };
}
