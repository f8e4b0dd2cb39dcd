// The graph's incremental paths (analysis/graph.ts): resolving with the previous resolution and
// keeping the previous strongly connected components must give what a fresh computation gives, and
// the reuse must really happen where an edit cannot change the answer. Also the suggestions' edit
// distance against a plain textbook implementation.
import { strict as assert } from 'node:assert';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { resolveAll, stronglyConnected, TaskFlag, type Components, type Resolution } from '../../../analysis/graph';
import { readTaskFacts, type TaskFacts } from '../../../analysis/task-facts';
import { editDistance } from '../../../analysis/text';
import { parseYaml } from '../../../analysis/yaml-nodes';
import { random } from '../../fixtures/random';

/** Facts of `- { id, name, dependencies }` rows, as the parser reads them. */
function facts(rows: [id: string, deps: string[]][]): TaskFacts[] {
  const text = rows.map(([id, deps]) => `- { id: ${id}, name: N_${id}, parent_id: a, dependencies: [${deps.join(', ')}] }`).join('\n');
  const root = parseYaml(text).contents;
  assert.ok(isSeq(root));
  return root.items.map((item) => {
    assert.ok(isMap(item));
    return readTaskFacts(item as YAMLMap);
  });
}

/** One task's row replaced (a fresh facts object for it, the others kept as they are). */
function edited(tasks: TaskFacts[], index: number, row: [string, string[]]): TaskFacts[] {
  const next = [...tasks];
  next[index] = facts([row])[0];
  return next;
}

function plain(r: Resolution) {
  const { duplicateIds, duplicateNames, depTargets, edges, requiredBy } = r;
  return { byId: [...r.byId], byName: [...r.byName], duplicateIds, duplicateNames, parent: [...r.parent], depTargets, edges, requiredBy, flags: [...r.flags] };
}

/** The partition into components, independent of their numbering. */
function partition(c: Components): number[][] {
  const groups = new Map<number, number[]>();
  c.of.forEach((comp, i) => groups.set(comp, [...(groups.get(comp) ?? []), i]));
  return [...groups.values()].sort((x, y) => x[0] - y[0]);
}

function assertTopological(edges: number[][], c: Components): void {
  edges.forEach((out, v) => out.forEach((w) => assert.ok(c.of[w] <= c.of[v], `edge ${v} → ${w} climbs from component ${c.of[v]} to ${c.of[w]}`)));
}

const ROWS: [string, string[]][] = [
  ['a', ['b', 'c']],
  ['b', ['d']],
  ['c', ['d', 'N_e']],
  ['d', []],
  ['e', []],
];

describe('analysis: graph reuse across edits', () => {
  it('re-resolves only the edited task when no id or name changed, with the fresh answer', () => {
    const before = facts(ROWS);
    const first = resolveAll(before);
    const after = edited(before, 2, ['c', ['missing', 'd', 'd']]);
    const reused = resolveAll(after, first);
    assert.deepEqual(plain(reused), plain(resolveAll(after)));
    assert.equal(reused.byId, first.byId, 'the id index is kept');
    assert.equal(reused.edges[0], first.edges[0], 'an untouched task keeps its edges');
    assert.deepEqual(reused.depTargets[2], [-1, 3, 3]);
    assert.deepEqual(reused.requiredBy[3], [1, 2, 2], 'd is required by b, and twice by c');
    assert.deepEqual(first.requiredBy[3], [1, 2], 'the previous resolution is left as it was');
    assert.equal(reused.flags[2] & (TaskFlag.unresolvedRequired | TaskFlag.repeatedDependency), TaskFlag.unresolvedRequired | TaskFlag.repeatedDependency);
  });

  it('resolves everything again when an id or name changed, or a task came or went', () => {
    const before = facts(ROWS);
    const first = resolveAll(before);
    const renamed = edited(before, 3, ['d2', []]);
    const again = resolveAll(renamed, first);
    assert.notEqual(again.byId, first.byId);
    assert.deepEqual(plain(again), plain(resolveAll(renamed)));
    assert.deepEqual(again.depTargets[1], [-1], "b's dependency d no longer resolves");
    const shorter = before.slice(0, 4);
    assert.deepEqual(plain(resolveAll(shorter, first)), plain(resolveAll(shorter)));
  });

  it('keeps the components when an edit cannot change them, and recomputes them when it closes or breaks a cycle', () => {
    const before = facts(ROWS);
    const r0 = resolveAll(before);
    const c0 = stronglyConnected(r0.edges);
    // c now also depends on b: an edge downwards in the order, no cycle possible.
    const down = resolveAll(edited(before, 2, ['c', ['d', 'N_e', 'b']]), r0);
    const c1 = stronglyConnected(down.edges, { edges: r0.edges, components: c0 });
    assert.equal(c1, c0);
    assertTopological(down.edges, c1);
    // d now depends on a: a → b → d → a is a cycle.
    const up = resolveAll(edited(before, 3, ['d', ['a']]), r0);
    const c2 = stronglyConnected(up.edges, { edges: r0.edges, components: c0 });
    assert.deepEqual(partition(c2), partition(stronglyConnected(up.edges)));
    assert.deepEqual(partition(c2), [[0, 1, 2, 3], [4]]);
    assertTopological(up.edges, c2);
    // And back: d depends on nothing again, the cycle is gone.
    const back = resolveAll(before, up);
    const c3 = stronglyConnected(back.edges, { edges: up.edges, components: c2 });
    assert.deepEqual(partition(c3), [[0], [1], [2], [3], [4]]);
  });

  it('agrees with a fresh computation over random single-task edits', () => {
    const rnd = random(9);
    const ids = Array.from({ length: 12 }, (_, i) => `t${i}`);
    let tasks = facts(ids.map((id) => [id, []]));
    let resolution = resolveAll(tasks);
    let components = stronglyConnected(resolution.edges);
    for (let step = 0; step < 300; step++) {
      const i = Math.floor(rnd() * ids.length);
      // References by id, by name, to nothing, and optional ones (not in requiredBy).
      const ref = () => (rnd() < 0.1 ? 'nowhere' : `${rnd() < 0.3 ? 'N_' : ''}${ids[Math.floor(rnd() * ids.length)]}`);
      const deps = Array.from({ length: Math.floor(rnd() * 4) }, () => (rnd() < 0.2 ? `{ id: ${ref()}, required: false }` : ref()));
      tasks = edited(tasks, i, [ids[i], deps]);
      const next = resolveAll(tasks, resolution);
      assert.deepEqual(plain(next), plain(resolveAll(tasks)), `step ${step}`);
      components = stronglyConnected(next.edges, { edges: resolution.edges, components });
      assert.deepEqual(partition(components), partition(stronglyConnected(next.edges)), `step ${step}`);
      assertTopological(next.edges, components);
      resolution = next;
    }
  });
});

/** The textbook dynamic programme, for comparison. */
function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

describe('analysis: edit distance for suggestions', () => {
  it('equals the textbook distance, and max + 1 exactly when it exceeds max', () => {
    const rnd = random(4);
    const word = () => Array.from({ length: Math.floor(rnd() * 90) }, () => 'abc_1'[Math.floor(rnd() * 5)]).join('');
    for (let n = 0; n < 400; n++) {
      const [a, b] = [word(), word()];
      const expected = levenshtein(a, b);
      assert.equal(editDistance(a, b), expected, `${a} / ${b}`);
      const max = Math.floor(rnd() * 6);
      assert.equal(editDistance(a, b, max), expected > max ? max + 1 : expected, `${a} / ${b} within ${max}`);
    }
  });
});
