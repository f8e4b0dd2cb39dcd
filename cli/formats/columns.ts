// How a source line looks in a terminal: the cells its characters take, so that a caret lands under
// the right character whatever the line holds (tabs, CJK, emoji, combining marks, control characters).

/** Tabs are expanded to this stop: the excerpt then aligns whatever the terminal's own tab width. */
const TAB_STOP = 4;

/** Zero width: combining marks, zero-width joiners and spaces, variation selectors. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200B-\u200F\u2060\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u;
/** Two cells: East Asian wide and full-width characters, and emoji presentation. */
const WIDE = /^[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]$/u;
/** Shown as U+FFFD: printing them as they are would move the cursor or change the terminal's state. */
const CONTROL = /^[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]$/u;
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;

/** A line of text for the terminal: every control character (a tab, an escape from a task id) as U+FFFD. */
export function printable(text: string): string {
  return text.replace(CONTROLS, '\uFFFD');
}

/** One character of a line as shown: its text, its width in cells and where it starts in UTF-16 units. */
export interface Cell {
  text: string;
  width: number;
  index: number;
}

export function cellsOf(line: string): Cell[] {
  const cells: Cell[] = [];
  let column = 0;
  let index = 0;
  for (const ch of line) {
    let cell: Cell;
    if (ch === '\t') {
      const width = TAB_STOP - (column % TAB_STOP);
      cell = { text: ' '.repeat(width), width, index };
    } else if (CONTROL.test(ch)) cell = { text: '\uFFFD', width: 1, index };
    else cell = { text: ch, width: ZERO_WIDTH.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1, index };
    cells.push(cell);
    column += cell.width;
    index += ch.length;
  }
  return cells;
}
