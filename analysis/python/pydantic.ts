// A Pydantic model of simple fields as the JSON Schema Pydantic would give for it (the part the
// inputs check uses): field types, required fields, defaults, descriptions, `extra="forbid"`.
import type { Node } from 'web-tree-sitter';
import { keywordArguments, literalValue, NOT_LITERAL, stringValue } from './literal';

const SIMPLE_TYPES: Record<string, string> = {
  str: 'string',
  int: 'integer',
  float: 'number',
  bool: 'boolean',
  list: 'array',
  List: 'array',
  tuple: 'array',
  Tuple: 'array',
  set: 'array',
  Set: 'array',
  Sequence: 'array',
  dict: 'object',
  Dict: 'object',
  Mapping: 'object',
};

/** The schema of an annotation: a simple type, `Optional[...]`/`X | None`, or `Literal[...]`; `{}` otherwise. */
function annotationSchema(text: string): Record<string, unknown> {
  const type = text.replace(/\s+/g, '').replace(/^typing\./, '');
  const optional = /^Optional\[(.*)\]$/.exec(type) ?? /^(.*)\|None$/.exec(type) ?? /^None\|(.*)$/.exec(type);
  if (optional) return annotationSchema(optional[1]);
  const literal = /^Literal\[(.*)\]$/.exec(type);
  if (literal) {
    const values = literal[1].split(',').map((v) => (/^(['"])(.*)\1$/.exec(v)?.[2] ?? (/^-?\d+$/.test(v) ? Number(v) : undefined)));
    return values.every((v) => v !== undefined) ? { enum: values } : {};
  }
  const base = type.replace(/\[.*$/, '');
  const json = SIMPLE_TYPES[base];
  return json ? { type: json } : {};
}

/** `Field(...)`'s default (`undefined` when the field is required) and description. */
function fieldCall(call: Node): { required: boolean; default?: unknown; description: string | null } {
  const keywords = keywordArguments(call);
  const first = call.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'keyword_argument') ?? null;
  const defaultNode = keywords.get('default') ?? first;
  const describedBy = keywords.get('description');
  const description = describedBy ? stringValue(describedBy) : NOT_LITERAL;
  const out = { description: description === NOT_LITERAL ? null : description };
  if (keywords.has('default_factory')) return { ...out, required: false };
  if (!defaultNode || defaultNode.type === 'ellipsis') return { ...out, required: true };
  const value = literalValue(defaultNode);
  return value === NOT_LITERAL ? { ...out, required: false } : { ...out, required: false, default: value };
}

function isFieldCall(node: Node): boolean {
  return node.type === 'call' && /(^|\.)Field$/.test(node.childForFieldName('function')?.text ?? '');
}

/** Whether `model_config = ConfigDict(extra="forbid")` (v2) or `class Config: extra = "forbid"` (v1). */
function forbidsExtra(body: Node): boolean {
  return /\bextra\s*=\s*(['"])forbid\1|\bextra\s*=\s*Extra\.forbid\b/.test(body.text);
}

/** Whether a class derives from Pydantic's BaseModel (by name: discovery does not follow imports). */
export function isPydanticModel(cls: Node): boolean {
  return (cls.childForFieldName('superclasses')?.namedChildren ?? []).some((b) => b !== null && /(^|\.)BaseModel$/.test(b.text));
}

/** The JSON Schema of a Pydantic model class's annotated fields. */
export function modelSchema(cls: Node): Record<string, unknown> {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  const body = cls.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const annotation = assignment?.childForFieldName('type');
    if (!assignment || left?.type !== 'identifier' || !annotation || left.text === 'model_config') continue;
    const property = annotationSchema(annotation.text);
    const right = assignment.childForFieldName('right');
    let isRequired = right === null;
    if (right && isFieldCall(right)) {
      const field = fieldCall(right);
      isRequired = field.required;
      if ('default' in field) property.default = field.default;
      if (field.description) property.description = field.description;
    } else if (right) {
      const value = literalValue(right);
      if (value !== NOT_LITERAL) property.default = value;
    }
    properties[left.text] = property;
    if (isRequired) required.push(left.text);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...(body && forbidsExtra(body) ? { additionalProperties: false } : {}) };
}
