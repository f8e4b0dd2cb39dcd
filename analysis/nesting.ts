// Structure nested thousands of levels deep (found by fuzzing: a block sequence 3,000 deep inside
// `tasks`) overflows the stack of the YAML parser or of a later stage. It is the file's problem, not
// ours: it becomes a yaml-syntax diagnostic like any other, at the deepest line, for every host.
import type { Span } from './types';

export const TOO_DEEP = 'the structure here is nested too deeply to be read (thousands of levels): flatten it';

/** Whether `message` is the JavaScript engine's for running out of stack. */
export function isStackOverflowMessage(message: string): boolean {
  return /maximum call stack/i.test(message);
}

/** Whether `error` is the JavaScript engine running out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && isStackOverflowMessage(error.message);
}

/** The most indented line of `text`, from its first non-blank character: where the nesting is deepest. */
export function deepestLine(text: string): Span {
  let best: Span = { start: 0, end: 0 };
  let bestIndent = -1;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    let first = start;
    while (first < end && text.charCodeAt(first) === 32) first++;
    // Sequence dashes and flow brackets at the start of a line nest as deeply as indentation does.
    let depth = first;
    while (depth < end && [32, 45 /* - */, 91 /* [ */, 123 /* { */].includes(text.charCodeAt(depth))) depth++;
    if (first < end && depth - start > bestIndent) {
      bestIndent = depth - start;
      best = { start: first, end: text.charCodeAt(end - 1) === 13 ? end - 1 : end };
    }
    start = end + 1;
  }
  return best;
}
