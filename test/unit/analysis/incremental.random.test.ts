// Randomised incremental analysis: a few hundred seeded random edits on a ~50-task tree (characters,
// lines, YAML punctuation, unicode, pasted snippets), comparing the DocumentAnalyzer with a fresh
// analysis after every edit. A failure names the seed and step; APFLOW_FUZZ_SEEDS=1,2,3 and
// APFLOW_FUZZ_STEPS=N replay or extend the run.
import { strict as assert } from 'node:assert';
import { analyzer } from './fixture';
import { bigTree, step } from './incremental';
import { random } from '../../fixtures/random';


const CHARS = ['a', 'z', 't', '1', '7', ' ', ' ', '\n', ':', '-', '[', ']', '{', '}', ',', '#', '"', "'", '|', '>', '\t', '\r', 'é', '😀', '漢', '&', '*', '!', '?', '%', '@', '`'];

const SNIPPETS = [
  '  - id: pasted\n    name: Pasted\n    parent_id: root\n    schemas: { method: system_info_executor }\n',
  '  - { id: flow1, name: Flow 1, parent_id: root, schemas: { method: command_executor }, dependencies: [t3, t4] }\n',
  '    dependencies: [t2, t2, root]\n',
  '    priority: 9\n',
  '    status: running\n',
  '    parent_id: t7\n',
  '    name: "名前 🚀"\n',
  '    schemas: { method: comand_executor }\n',
  '# apflow-disable-next-line\n',
  '    # apflow-disable-next-line unknown-key, runtime-field\n',
  '    colour: blue\n',
  'tasks:\n',
  'version: 3\n',
  '---\n',
  '\n',
  '  \n',
  '    inputs:\n      command: ls\n',
  '      - t5\n',
  '    dependencies:\n      - t1\n      - { name: "Task 2", required: false }\n',
];

interface Edit {
  text: string;
  what: string;
}

function lineBounds(text: string, offset: number): [number, number] {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  return [start, nl === -1 ? text.length : nl + 1];
}

function randomEdit(text: string, rnd: () => number, base: string): Edit {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const at = Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  if (r < 0.3) {
    const ch = pick(CHARS);
    return { text: text.slice(0, at) + ch + text.slice(at), what: `insert ${JSON.stringify(ch)} at ${at}` };
  }
  if (r < 0.5) {
    const n = 1 + Math.floor(rnd() * 6);
    return { text: text.slice(0, at) + text.slice(at + n), what: `delete ${n} at ${at}` };
  }
  if (r < 0.6) {
    const [s, e] = lineBounds(text, at);
    return { text: text.slice(0, s) + text.slice(e), what: `delete the line at ${s}` };
  }
  if (r < 0.67) {
    const [s, e] = lineBounds(text, at);
    return { text: text.slice(0, e) + text.slice(s, e) + text.slice(e), what: `duplicate the line at ${s}` };
  }
  if (r < 0.8) {
    const [s] = lineBounds(text, at);
    const snippet = pick(SNIPPETS);
    return { text: text.slice(0, s) + snippet + text.slice(s), what: `paste ${JSON.stringify(snippet)} at line start ${s}` };
  }
  if (r < 0.86) {
    const [s, e] = lineBounds(text, at);
    const [, e2] = lineBounds(text, e);
    return { text: text.slice(0, s) + text.slice(e, e2) + text.slice(s, e) + text.slice(e2), what: `swap the lines at ${s} and ${e}` };
  }
  if (r < 0.92) {
    const ids = text.match(/\bt\d+\b/g) ?? ['t1'];
    const from = pick(ids);
    const to = `t${Math.floor(rnd() * 60)}`;
    const i = text.indexOf(from, at) === -1 ? text.indexOf(from) : text.indexOf(from, at);
    return { text: text.slice(0, i) + to + text.slice(i + from.length), what: `rename one ${from} to ${to} at ${i}` };
  }
  if (r < 0.96) {
    const n = 1 + Math.floor(rnd() * 40);
    const [s] = lineBounds(text, at);
    return { text: text.slice(0, s) + text.slice(s + n), what: `delete ${n} from line start ${s}` };
  }
  return { text: base, what: 'restore the original' };
}

describe('analysis: incremental updates, randomised (spec 2.5)', function () {
  this.timeout(120_000);
  const seeds = (process.env.APFLOW_FUZZ_SEEDS ?? '1,2,3').split(',').map(Number);
  const steps = Number(process.env.APFLOW_FUZZ_STEPS ?? 100);

  for (const seed of seeds) {
    it(`agrees with a fresh analysis after each of ${steps} random edits (seed ${seed})`, () => {
      const rnd = random(seed);
      const base = bigTree(50);
      const a = analyzer();
      let text = base;
      step(a, text, 'the original');
      let itemMode = 0;
      for (let i = 1; i <= steps; i++) {
        const edit = randomEdit(text, rnd, base);
        const previous = text;
        text = edit.text;
        try {
          const result = step(a, text, `${edit.what}`);
          if (result.parseMode === 'items') itemMode++;
        } catch (error) {
          const where = `seed ${seed}, step ${i}: ${edit.what}`;
          if (error instanceof assert.AssertionError) {
            const message = `${where}\n${error.message.split('\n')[0]}\n--- previous text:\n${previous}\n--- text:\n${text}`;
            throw new assert.AssertionError({ message, actual: error.actual, expected: error.expected, operator: error.operator });
          }
          throw new Error(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }
      // The run must exercise the item-level path, not only the whole-file fallback.
      assert.ok(itemMode >= Math.min(20, steps / 5), `only ${itemMode} of ${steps} versions were analysed item by item`);
    });
  }
});
