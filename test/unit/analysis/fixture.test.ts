// The fixture helper is the ruler every other analysis test measures with: check it first.
import { strict as assert } from 'node:assert';
import { applyEdits, dedent, mark, markCursor, offsetAt, textAt } from './fixture';

describe('analysis test fixtures', () => {
  it('strips «» markers and returns ranges in opening order, nested ones included', () => {
    const m = mark('ab «cd» e\nf«g«h»i»\n');
    assert.equal(m.text, 'ab cd e\nfghi\n');
    assert.deepEqual(m.ranges, [
      { start: { line: 0, character: 3 }, end: { line: 0, character: 5 } },
      { start: { line: 1, character: 1 }, end: { line: 1, character: 4 } },
      { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } },
    ]);
  });

  it('counts UTF-16 code units: an astral emoji is two, CJK and accented letters one', () => {
    const m = mark('😀é漢«x»\n');
    assert.deepEqual(m.ranges[0], { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } });
    assert.equal(textAt(m.text, m.ranges[0]), 'x');
  });

  it('treats \\r\\n as one line break', () => {
    const m = mark('a\r\n«b»\r\n');
    assert.deepEqual(m.ranges[0], { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
  });

  it('reads a cursor marker only when asked', () => {
    assert.equal(mark('a: |\n  x\n').text, 'a: |\n  x\n');
    const c = markCursor('tasks:\n  - id: a|b\n');
    assert.equal(c.text, 'tasks:\n  - id: ab\n');
    assert.deepEqual(c.cursor, { line: 1, character: 9 });
  });

  it('rejects unbalanced markers', () => {
    assert.throws(() => mark('«a'));
    assert.throws(() => mark('a»'));
  });

  it('applies edits from the end so that earlier positions stay valid', () => {
    const text = 'one two\nthree\n';
    const out = applyEdits(text, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: '1' },
      { range: { start: { line: 1, character: 5 }, end: { line: 1, character: 5 } }, newText: '!' },
    ]);
    assert.equal(out, '1 two\nthree!\n');
    assert.throws(() => offsetAt(text, { line: 0, character: 9 }));
  });

  it('dedents template fixtures', () => {
    assert.equal(
      dedent`
        tasks:
          - id: a
      `,
      'tasks:\n  - id: a\n',
    );
  });
});
