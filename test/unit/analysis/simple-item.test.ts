// The simple-item reader against the `yaml` parser it stands in for: on every item it accepts, both
// must give the same node tree (classes, ranges, sources, scalar types, flow flags), the same plain
// value, the same task facts and the same task-level findings — so every diagnostic and feature
// that reads them answers alike. Items come from the benchmark generator, the examples, the spec's
// example, hand-written edge cases and seeded random mutations of all of them.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { taskLocalFindings } from '../../../analysis/checks/task-local';
import { DocumentModel } from '../../../analysis/document';
import { Seg } from '../../../analysis/findings';
import { nodeEnv } from '../../../analysis/node-env';
import { layout } from '../../../analysis/segment';
import { readSimpleItem } from '../../../analysis/simple-item';
import { resolveTarget, TARGETS } from '../../../analysis/target';
import { readTaskFacts, type TaskFacts } from '../../../analysis/task-facts';
import { DOCUMENT_SCHEMA, parseYaml } from '../../../analysis/yaml-nodes';
import { generateTree } from '../../bench/generate';
import { random } from '../../fixtures/random';

const SCHEMA = DOCUMENT_SCHEMA;

/** A node tree as plain data: its class and every own enumerable field, children included. */
function shape(node: unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(shape);
  const out: Record<string, unknown> = { class: node.constructor.name };
  for (const [k, v] of Object.entries(node)) out[k] = shape(v);
  if ('schema' in node) out.hasSchema = (node as { schema?: unknown }).schema !== undefined;
  return out;
}

function itemsOf(text: string): string[] {
  const lay = layout(text);
  return lay ? lay.items.map((r) => text.slice(r.start, r.end)) : [];
}

interface Outcome {
  accepted: boolean;
}

/** Compares both readers on `text`; throws with the text when they differ. */
function compare(text: string): Outcome {
  const fast = readSimpleItem(text, SCHEMA);
  if (!fast) return { accepted: false };
  const doc = parseYaml(text);
  const why = `item ${JSON.stringify(text)}`;
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${why}: yaml reports errors on an item the simple reader accepted`);
  assert.ok(isSeq(doc.contents), why);
  const node = doc.contents.items[0] as Node;
  assert.ok(isMap(node), why);
  assert.deepStrictEqual(shape(fast.node), shape(node), `${why}: node trees differ`);
  const value = (doc.toJS() as unknown[])[0];
  assert.deepStrictEqual(fast.value, value, `${why}: values differ`);
  const seg = new Seg(text, 0, 0);
  const facts = readTaskFacts(node);
  const fastFacts = readTaskFacts(fast.node);
  assert.deepStrictEqual(shape(fastFacts), shape(facts), `${why}: facts differ`);
  for (const line of TARGETS) {
    const target = resolveTarget(line, undefined);
    assert.deepStrictEqual(taskLocalFindings(fastFacts, fast.value, seg, target), taskLocalFindings(facts, value as Record<string, unknown>, seg, target), `${why}: findings differ (${line})`);
  }
  return { accepted: true };
}

const EDGE_CASES = [
  '- id: a\n  name: b',
  '  - id: a\n    name: b  \n',
  '  - id: a\n    name: b\n\n\n',
  '  - id: a\n    s:\n      m: x\n\n',
  '  - id: a\n    s:\n      m: x\n    t: 1\n',
  '  - id: a\n    s: {a: 1}  \n',
  '- id: a\n  e:\n',
  '- id: a\n  e:',
  '- id: a\n  e:  \n',
  '- id: a\n  e:\n  f: 2\n',
  '-   id: a\n    name: b\n',
  '  - id: a\n    deps: [ ]\n    m: {}\n    n: [[a, b], {c: d}, "q", \'s\']\n',
  '  - id: a\n    inputs: { command: "echo a", timeout: 12, cwd: /tmp }\n',
  '  - id: a\n    n: [ a ,b , c ]\n',
  '  - id: -3\n    p: 0\n    q: -0\n    r: 123456789012345\n',
  '  - id: a\n    timeout: 0.5\n    backoff_base_seconds: 12.25\n    x: [-0.125, 3.7]\n',
  '  - id: null\n    a: ~\n    b: Null\n    c: TRUE\n    d: False\n    e: true\n',
  '  - name: "名前 🚀"\n    other: 漢字 text\n',
  '  - id: a\n    id: b\n',
];

/** Values that are not of the simple kind, or are only just: each must be read alike or left to yaml. */
const TRICKY_VALUES = ['1.5', '0.25', '-0.5', '0.50', '2.', '.5', '01.5', '1.0', '007', '0x1F', '0o7', '+1', '.inf', '.NaN', '1e3', 'yes', 'No', 'a: b', 'a:b', 'a #b', 'a#b', '"a\\"b"', "'it''s'", 'it\'s', '&x a', '*x', '!!str 1', '|', '>', '- a', '[a, b', '{a: 1', '[a,]', '{a: 1,}', '{a:1}', '{a: }', '[a: 1]', '"x', '"a\tb"', '@a', '`a`', '%a', '?a', 'a?', 'a, b', '[a]]', '9999999999999999', '12:30', '2020-01-01', '/a/b c', '~x', 'Null x', '_x', '__proto__'];

const KEYS = ['id', 'name', 'parent_id', 'priority', 'schemas', 'inputs', 'dependencies', 'params', 'x-y', 'null', 'true', '1', '__proto__', '<<', '"q"', 'a b'];

function generated(rnd: () => number, n: number): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const lines = [`  - ${pick(KEYS)}: ${pick(TRICKY_VALUES)}`];
    for (let k = Math.floor(rnd() * 4); k > 0; k--) lines.push(`    ${pick(KEYS)}: ${rnd() < 0.5 ? pick(TRICKY_VALUES) : `[${pick(TRICKY_VALUES)}, ${pick(TRICKY_VALUES)}]`}`);
    out.push(`${lines.join('\n')}\n`);
  }
  return out;
}

const MUTATIONS = ['a', ' ', '\n', ':', '-', '[', ']', '{', '}', ',', '#', '"', "'", '&', '*', '!', '1', '.', '\r', '\t', '~', '漢', '😀'];

function mutated(items: readonly string[], rnd: () => number, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let text = items[Math.floor(rnd() * items.length)];
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const at = Math.floor(rnd() * (text.length + 1));
      const r = rnd();
      if (r < 0.6) text = text.slice(0, at) + MUTATIONS[Math.floor(rnd() * MUTATIONS.length)] + text.slice(at);
      else text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3));
    }
    // A mutation that broke the item's first line is no longer an item on its own.
    if (/^ *- /.test(text)) out.push(text);
  }
  return out;
}

function exampleItems(): string[] {
  const dir = join(__dirname, '../../../examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.apflow.yaml'))
    .flatMap((f) => itemsOf(readFileSync(join(dir, f), 'utf8')));
}

describe('simple-item reader', () => {
  it('reads every task of the benchmark tree, exactly as yaml does', () => {
    const items = itemsOf(generateTree(400, 7).text);
    assert.ok(items.length === 400);
    for (const text of items) assert.ok(compare(text).accepted, `not read: ${JSON.stringify(text)}`);
  });

  it('reads the edge cases of its subset exactly as yaml does', () => {
    for (const text of EDGE_CASES) assert.ok(compare(text).accepted, `not read: ${JSON.stringify(text)}`);
  });

  it('leaves comments, anchors, tags, block scalars and sequences, multi-line and escaped scalars to yaml', () => {
    const others = [
      '  - id: a # note\n',
      '  - id: &x a\n    name: *x\n',
      '  - id: !!str 1\n',
      '  - id: a\n    name: |\n      text\n',
      '  - id: a\n    dependencies:\n      - b\n',
      '  - id: a\n    name: long\n      continued\n',
      '  - id: a\n    name: "a\\tb"\n',
      '  - id: a\n\n    name: b\n',
      '  - id: a\r\n    name: b\r\n',
      '  - id: a\n    priority: 1.50\n',
      '  - id: a\n    name: b\n   odd: 1\n',
    ];
    for (const text of others) assert.equal(readSimpleItem(text, SCHEMA), null, JSON.stringify(text));
  });

  it('agrees with yaml on the examples and on seeded random items and mutations', () => {
    const rnd = random(9);
    const base = [...itemsOf(generateTree(200, 3).text), ...exampleItems(), ...EDGE_CASES];
    const texts = [...exampleItems(), ...generated(rnd, 3000), ...mutated(base, rnd, 4000)];
    let accepted = 0;
    for (const text of texts) if (compare(text).accepted) accepted++;
    // Both sides of the comparison must have been exercised.
    assert.ok(accepted > 500 && accepted < texts.length, `accepted ${accepted} of ${texts.length}`);
  });

  it('keeps no node trees for the tasks it read, and reads the same ones again when asked', () => {
    const text = generateTree(60, 5).text;
    const state = new DocumentModel({ fileName: '/work/t.apflow.yaml', env: nodeEnv }).update(text);
    assert.equal(state.mode, 'items');
    itemsOf(text).forEach((item, i) => {
      const facts = state.tasks[i].facts;
      assert.ok(!Object.getOwnPropertyNames(facts).includes('node'), `task ${i} keeps its node tree`);
      const doc = parseYaml(item);
      assert.ok(isSeq(doc.contents));
      const eager = readTaskFacts(doc.contents.items[0] as YAMLMap);
      const asked = Object.fromEntries(Object.keys(eager).map((k) => [k, facts[k as keyof TaskFacts]]));
      assert.deepStrictEqual(shape(asked), shape({ ...eager }), `task ${i}`);
    });
  });
});
