// Python literals read from the syntax tree as JSON values: what `inputs_schema = {...}` and a
// decorator's `input_schema={...}` hold. Anything that is not a plain literal (a name, a call, an
// f-string) has no value here: discovery never evaluates code.
import type { Node } from 'web-tree-sitter';

/** Marks "not a literal", since `null` is the literal `None`. */
export const NOT_LITERAL = Symbol('not a literal');
export type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** Python's backslash escapes in a (non-raw) string's text; an unknown escape stays as written, as in Python. */
function decodeEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (whole, code: string) => {
    if (/^[xuU]/.test(code) && code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    if (/^[0-7]+$/.test(code)) return String.fromCodePoint(parseInt(code, 8));
    return ESCAPES[code] ?? whole;
  });
}

/** The value of a `string` node, or NOT_LITERAL for an f-string or a bytes literal. */
export function stringValue(node: Node): string | typeof NOT_LITERAL {
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of node.namedChildren) {
      const value = part ? stringValue(part) : NOT_LITERAL;
      if (value === NOT_LITERAL) return NOT_LITERAL;
      out += value;
    }
    return out;
  }
  if (node.type !== 'string') return NOT_LITERAL;
  const prefix = (node.firstChild?.text ?? '').replace(/['"]+$/, '').toLowerCase();
  if (prefix.includes('f') || prefix.includes('b')) return NOT_LITERAL;
  const raw = prefix.includes('r');
  let out = '';
  // The grammar puts escape sequences inside string_content: the text is decoded as a whole.
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content' || child.type === 'escape_sequence') out += child.text;
    else if (child.type === 'interpolation') return NOT_LITERAL;
  }
  return raw ? out : decodeEscapes(out);
}

function numberValue(text: string): number | typeof NOT_LITERAL {
  const clean = text.replace(/_/g, '');
  const value = /^0[xob]/i.test(clean) ? Number(clean.toLowerCase()) : Number(clean);
  return Number.isFinite(value) ? value : NOT_LITERAL;
}

/** Deeper literals are not schemas anyone writes; refusing them keeps a hostile file from exhausting the stack. */
const MAX_DEPTH = 64;

/** The JSON value of a literal expression, or NOT_LITERAL. */
export function literalValue(node: Node | null, depth = 0): Literal | typeof NOT_LITERAL {
  if (!node || depth > MAX_DEPTH) return NOT_LITERAL;
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return stringValue(node);
    case 'integer':
    case 'float':
      return numberValue(node.text);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'parenthesized_expression':
      return literalValue(node.namedChildren[0] ?? null, depth + 1);
    case 'unary_operator': {
      const value = literalValue(node.childForFieldName('argument'), depth + 1);
      const operator = node.childForFieldName('operator')?.text;
      return typeof value === 'number' && (operator === '-' || operator === '+') ? (operator === '-' ? -value : value) : NOT_LITERAL;
    }
    case 'list':
    case 'tuple': {
      const out: Literal[] = [];
      for (const child of node.namedChildren) {
        const value = literalValue(child, depth + 1);
        if (value === NOT_LITERAL) return NOT_LITERAL;
        out.push(value);
      }
      return out;
    }
    case 'dictionary': {
      const out: { [key: string]: Literal } = {};
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair') return NOT_LITERAL;
        const key = literalValue(pair.childForFieldName('key'), depth + 1);
        const value = literalValue(pair.childForFieldName('value'), depth + 1);
        if (typeof key !== 'string' || value === NOT_LITERAL) return NOT_LITERAL;
        out[key] = value;
      }
      return out;
    }
    default:
      return NOT_LITERAL;
  }
}

/** A dict literal as a JSON object, or null. */
export function dictValue(node: Node | null): Record<string, unknown> | null {
  const value = literalValue(node);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** A call's keyword arguments by name. */
export function keywordArguments(call: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    const name = arg?.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
    const value = arg?.childForFieldName('value');
    if (name && value) out.set(name, value);
  }
  return out;
}
