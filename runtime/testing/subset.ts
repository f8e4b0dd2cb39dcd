// "Contains" for results and inputs: a mapping contains the expected keys (recursively), a list
// contains the expected items at the same positions, anything else is equal. The answer is the first
// difference in words, so that a failed expectation says what was expected and what happened.
import { isMapping } from '../types';

/** null when `actual` contains `expected`; else where and how they differ. */
export function subsetMismatch(expected: unknown, actual: unknown, path = ''): string | null {
  if (isMapping(expected)) {
    if (!isMapping(actual)) return `${where(path)}expected a mapping, got ${shown(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in actual)) return `\`${at}\` is missing (expected ${shown(value)})`;
      const mismatch = subsetMismatch(value, actual[key], at);
      if (mismatch) return mismatch;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${where(path)}expected a list, got ${shown(actual)}`;
    if (actual.length < expected.length) return `${where(path)}expected at least ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const mismatch = subsetMismatch(expected[i], actual[i], `${path}[${i}]`);
      if (mismatch) return mismatch;
    }
    return null;
  }
  return Object.is(expected, actual) || (expected === null && actual === undefined) ? null : `${where(path)}expected ${shown(expected)}, got ${shown(actual)}`;
}

function where(path: string): string {
  return path ? `at \`${path}\`: ` : '';
}

const MAX_SHOWN = 120;

/** A value as JSON, cut to a readable length. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
