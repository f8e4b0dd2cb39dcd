// dependency-cycle (spec 2.1): every dependency between two tasks of a looping group gets one
// diagnostic, on that dependency; all of a group's diagnostics carry the same message naming the
// shortest cycle through the group's first task in file order.
import { strict as assert } from 'node:assert';
import type { Diagnostic } from '../../../analysis';
import { analyze, applyFix, dedent, expectAt, mark, only, textAt } from './fixture';

/** `- { id, name, parent, executor, deps }` rows, all children of `root` unless told otherwise. */
function tree(rows: [id: string, deps: string[]][], rootDeps: string[] = []): string {
  const lines = ['tasks:', `  - { id: root, name: Root, schemas: { method: aggregate_results_executor }, dependencies: [${rootDeps.join(', ')}] }`];
  for (const [id, deps] of rows) lines.push(`  - { id: ${id}, name: N_${id}, parent_id: root, schemas: { method: system_info_executor }, dependencies: [${deps.join(', ')}] }`);
  return `${lines.join('\n')}\n`;
}

/** The cycle part of a message: up to the first `;` (the rest tells what to do). */
function cycleText(d: Diagnostic): string {
  return d.message.split(';')[0];
}

describe('analysis: dependency-cycle (spec 2.1)', () => {
  it('reports each dependency of a loop, all naming the cycle from the first task in file order', () => {
    // The acceptance tree a02: fetch → store → parse → fetch.
    const { text, diagnostics, all } = expectAt(
      dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [fetch]
          - id: fetch
            name: Fetch
            parent_id: root
            schemas: { method: command_executor }
            inputs: { command: "echo fetch" }
            dependencies: [«store»]
          - id: parse
            name: Parse
            parent_id: root
            schemas: { method: command_executor }
            inputs: { command: "echo parse" }
            dependencies: [«fetch»]
          - id: store
            name: Store
            parent_id: root
            schemas: { method: command_executor }
            inputs: { command: "echo store" }
            dependencies: [«parse»]
      `,
      'dependency-cycle',
      'error',
    );
    for (const d of diagnostics) {
      assert.equal(cycleText(d), 'dependency cycle: fetch → store → parse → fetch');
      assert.doesNotMatch(d.message, /loop involves/);
    }
    assert.deepEqual(
      diagnostics.map((d) => d.task),
      ['fetch', 'parse', 'store'],
    );
    // Related information: the other dependencies of the loop.
    const sites = diagnostics.map((d) => d.range);
    diagnostics.forEach((d, i) => {
      assert.deepEqual(
        d.related?.map((r) => r.range),
        sites.filter((_, j) => j !== i),
      );
    });
    assert.deepEqual(
      diagnostics.map((d) => d.fixes?.map((f) => f.title)),
      [['Remove dependency on `store`'], ['Remove dependency on `fetch`'], ['Remove dependency on `parse`']],
    );
    // The root depends on the loop: it is unreachable, and nothing else is reported (but the
    // missing-timeout hints of the three commands).
    assert.deepEqual(
      all.filter((d) => d.code !== 'dependency-cycle' && d.code !== 'missing-timeout').map((d) => [d.code, d.task]),
      [['unreachable', 'root']],
    );
    assert.equal(textAt(text, diagnostics[0].range), 'store');
  });

  it('names the shortest cycle through the first task and the size of a larger group', () => {
    // p depends on q and r, q on r, r on p: cycles through p are p → q → r → p and p → r → p.
    const diagnostics = only(analyze(tree([['p', ['q', 'r']], ['q', ['r']], ['r', ['p']]], ['p'])), 'dependency-cycle');
    assert.equal(diagnostics.length, 4);
    for (const d of diagnostics) assert.equal(cycleText(d), 'dependency cycle: p → r → p (the loop involves 3 tasks)');
  });

  it('starts at the group’s first task in file order, whatever the ids', () => {
    const diagnostics = only(analyze(tree([['zeta', ['alpha']], ['beta', ['zeta']], ['alpha', ['beta']]], ['zeta'])), 'dependency-cycle');
    assert.equal(diagnostics.length, 3);
    for (const d of diagnostics) assert.equal(cycleText(d), 'dependency cycle: zeta → alpha → beta → zeta');
  });

  it('flags only dependencies inside the group, not those entering or leaving it', () => {
    const { text, ranges } = mark(dedent`
      tasks:
        - { id: root, name: Root, schemas: { method: aggregate_results_executor }, dependencies: [a] }
        - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor }, dependencies: [«b», out] }
        - { id: b, name: B, parent_id: root, schemas: { method: system_info_executor }, dependencies: [«a», «c»] }
        - { id: c, name: C, parent_id: root, schemas: { method: system_info_executor }, dependencies: [«b»] }
        - { id: out, name: Out, parent_id: root, schemas: { method: system_info_executor } }
    `);
    const diagnostics = only(analyze(text), 'dependency-cycle');
    assert.deepEqual(
      diagnostics.map((d) => d.range),
      ranges,
    );
    for (const d of diagnostics) assert.equal(cycleText(d), 'dependency cycle: a → b → a (the loop involves 3 tasks)');
  });

  it('gives each group its own message', () => {
    const diagnostics = only(analyze(tree([['a', ['b']], ['b', ['a']], ['c', ['d']], ['d', ['e']], ['e', ['c']]], ['a', 'c'])), 'dependency-cycle');
    assert.deepEqual(
      diagnostics.map((d) => [d.task, cycleText(d)]),
      [
        ['a', 'dependency cycle: a → b → a'],
        ['b', 'dependency cycle: a → b → a'],
        ['c', 'dependency cycle: c → d → e → c'],
        ['d', 'dependency cycle: c → d → e → c'],
        ['e', 'dependency cycle: c → d → e → c'],
      ],
    );
  });

  it('resolves references by name inside a loop and names tasks by id (or name without id)', () => {
    const diagnostics = only(
      analyze(dedent`
        tasks:
          - { id: root, name: Root, schemas: { method: aggregate_results_executor }, dependencies: [a] }
          - { id: a, name: Alpha, parent_id: root, schemas: { method: system_info_executor }, dependencies: [Nameless] }
          - { name: Nameless, parent_id: root, schemas: { method: system_info_executor }, dependencies: [{ name: Alpha }] }
      `),
      'dependency-cycle',
    );
    assert.equal(diagnostics.length, 2);
    for (const d of diagnostics) assert.equal(cycleText(d), 'dependency cycle: a → Nameless → a');
    assert.deepEqual(
      diagnostics.map((d) => d.task),
      ['a', 'Nameless'],
    );
  });

  it('lists a loop of 10 tasks in full and abbreviates one of 11', () => {
    const loop = (n: number) => {
      const rows: [string, string[]][] = [];
      for (let i = 1; i <= n; i++) rows.push([`t${i}`, [`t${i === n ? 1 : i + 1}`]]);
      return only(analyze(tree(rows, ['t1'])), 'dependency-cycle');
    };
    const ten = loop(10);
    assert.equal(ten.length, 10);
    assert.equal(cycleText(ten[0]), 'dependency cycle: t1 → t2 → t3 → t4 → t5 → t6 → t7 → t8 → t9 → t10 → t1');
    const eleven = loop(11);
    assert.equal(eleven.length, 11);
    for (const d of eleven) assert.equal(cycleText(d), 'dependency cycle of 11 tasks: t1 → t2 → t3 → t4 → t5 → … → t11 → t1');
  });

  it('points related information at up to 20 other dependencies of the group', () => {
    const rows: [string, string[]][] = [];
    for (let i = 1; i <= 30; i++) rows.push([`t${i}`, [`t${i === 30 ? 1 : i + 1}`]]);
    const text = tree(rows, ['t1']);
    const diagnostics = only(analyze(text), 'dependency-cycle');
    assert.equal(diagnostics.length, 30);
    const sites = new Set(diagnostics.map((d) => JSON.stringify(d.range)));
    for (const d of diagnostics) {
      const related = d.related ?? [];
      assert.equal(related.length, 20);
      const ranges = related.map((r) => JSON.stringify(r.range));
      assert.equal(new Set(ranges).size, 20, 'distinct');
      assert.ok(!ranges.includes(JSON.stringify(d.range)), 'not itself');
      for (const r of ranges) assert.ok(sites.has(r), 'a dependency of the group');
    }
  });

  it('reports a self-dependency only as self-dependency, also inside a loop', () => {
    const { text, ranges } = mark(dedent`
      tasks:
        - { id: root, name: Root, schemas: { method: aggregate_results_executor }, dependencies: [a, s] }
        - { id: a, name: A, parent_id: root, schemas: { method: system_info_executor }, dependencies: [«a», «b»] }
        - { id: b, name: B, parent_id: root, schemas: { method: system_info_executor }, dependencies: [«a»] }
        - { id: s, name: S, parent_id: root, schemas: { method: system_info_executor }, dependencies: [«S»] }
    `);
    const all = analyze(text);
    assert.deepEqual(
      all.filter((d) => d.code === 'self-dependency' || d.code === 'dependency-cycle').map((d) => [d.code, d.range]),
      [
        ['self-dependency', ranges[0]],
        ['dependency-cycle', ranges[1]],
        ['dependency-cycle', ranges[2]],
        ['self-dependency', ranges[3]],
      ],
    );
    for (const d of only(all, 'dependency-cycle')) assert.equal(cycleText(d), 'dependency cycle: a → b → a');
  });

  it('removes the dependency with its fix, which breaks the loop', () => {
    const text = tree([['a', ['b', 'x']], ['b', ['a']], ['x', []]], ['a']);
    const [first] = only(analyze(text), 'dependency-cycle');
    const fixed = applyFix(text, first, 'Remove dependency on `b`');
    assert.ok(fixed.includes('dependencies: [x] }'), fixed);
    assert.deepEqual(only(analyze(fixed), 'dependency-cycle'), []);
  });

  it('handles the 20,000-task chain of the spec without overflowing the stack', function () {
    this.timeout(60_000);
    // t_i depends on t_(i-1); t1000 also depends on t19999, closing a loop of 19,000 tasks.
    const n = 20_000;
    const rows = ['tasks:'];
    for (let i = 0; i < n; i++) {
      const deps = i === 0 ? '' : i === 1000 ? `t999, t${n - 1}` : `t${i - 1}`;
      const parent = i === 0 ? '' : `, parent_id: t${i - 1}`;
      rows.push(`  - { id: t${i}, name: T${i}${parent}, schemas: { method: system_info_executor }, dependencies: [${deps}] }`);
    }
    const all = analyze(`${rows.join('\n')}\n`).filter((d) => d.code !== 'tree-too-large');
    const cycles = only(all, 'dependency-cycle');
    assert.equal(cycles.length, 19_000);
    assert.equal(all.length, 19_000, 'nothing but the loop is reported');
    const message = cycleText(cycles[0]);
    assert.equal(message, 'dependency cycle of 19000 tasks: t1000 → t19999 → t19998 → t19997 → t19996 → … → t1001 → t1000');
    assert.ok(cycles.every((d) => d.message === cycles[0].message));
    assert.ok(cycles.every((d) => d.related?.length === 20));
  });
});
