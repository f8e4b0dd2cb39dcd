// unreachable (spec 2.1): a task never runs when a required dependency, directly or through a chain
// of required dependencies, can never complete (cycle, unknown/missing executor, unresolved
// reference). The message names the chain; the task that is itself the cause gets only its own
// diagnostic; optional dependencies do not propagate.
import { strict as assert } from 'node:assert';
import { analyze, dedent, expectAt, expectNone, only } from './fixture';

type Row = { id: string; deps?: (string | { id: string; required: boolean })[]; executor?: string | null };

function tree(rows: Row[]): string {
  const out = ['tasks:'];
  rows.forEach((r, i) => {
    const deps = (r.deps ?? []).map((d) => (typeof d === 'string' ? d : `{ id: ${d.id}, required: ${d.required} }`)).join(', ');
    const executor = r.executor === null ? '' : `, schemas: { method: ${r.executor ?? 'system_info_executor'} }`;
    const parent = i === 0 ? '' : `, parent_id: ${rows[0].id}`;
    out.push(`  - { id: ${r.id}, name: N_${r.id}${parent}${executor}, dependencies: [${deps}] }`);
  });
  return `${out.join('\n')}\n`;
}

function unreachable(text: string): [string | null, string][] {
  return only(analyze(text), 'unreachable').map((d) => [d.task, d.message]);
}

describe('analysis: unreachable (spec 2.1)', () => {
  it('names the chain: the spec’s example', () => {
    const { diagnostics } = expectAt(
      dedent`
        tasks:
          - id: report
            «name»: Report
            schemas: { method: aggregate_results_executor }
            dependencies: [load]
          - id: load
            «name»: Load
            parent_id: report
            schemas: { method: system_info_executor }
            dependencies: [parse]
          - id: parse
            name: Parse
            parent_id: report
            schemas: { method: parsr }
      `,
      'unreachable',
      'warning',
    );
    assert.deepEqual(
      diagnostics.map((d) => [d.task, d.message]),
      [
        ['report', "never runs: requires load → requires parse, whose executor 'parsr' is unknown"],
        ['load', "never runs: requires parse, whose executor 'parsr' is unknown"],
      ],
    );
  });

  it('lists up to three steps and abbreviates longer chains with their length', () => {
    // t6 → t5 → t4 → t3 → t2 → t1, and t1's executor is unknown.
    const rows: Row[] = [];
    for (let i = 6; i >= 1; i--) rows.push({ id: `t${i}`, deps: i > 1 ? [`t${i - 1}`] : [], executor: i === 1 ? 'parsr' : undefined });
    assert.deepEqual(unreachable(tree(rows)), [
      ['t6', "never runs: requires t5 → … → t1, whose executor 'parsr' is unknown (5 steps)"],
      ['t5', "never runs: requires t4 → … → t1, whose executor 'parsr' is unknown (4 steps)"],
      ['t4', "never runs: requires t3 → requires t2 → requires t1, whose executor 'parsr' is unknown"],
      ['t3', "never runs: requires t2 → requires t1, whose executor 'parsr' is unknown"],
      ['t2', "never runs: requires t1, whose executor 'parsr' is unknown"],
    ]);
  });

  it('names each kind of cause', () => {
    const messages = Object.fromEntries(
      unreachable(
        tree([
          { id: 'root', deps: ['m', 'c', 'r', 's'] },
          { id: 'm', deps: ['nox'] },
          { id: 'nox', executor: null },
          { id: 'c', deps: ['loop1'] },
          { id: 'loop1', deps: ['loop2'] },
          { id: 'loop2', deps: ['loop1'] },
          { id: 'r', deps: ['dangling'] },
          { id: 'dangling', deps: ['ghost'] },
          { id: 's', deps: ['selfish'] },
          { id: 'selfish', deps: ['selfish'] },
        ]),
      ),
    );
    assert.match(messages.m, /^never runs: requires nox, .*no executor/);
    assert.match(messages.c, /^never runs: requires loop1, .*cycle/);
    assert.match(messages.r, /^never runs: requires dangling, .*'ghost'.*(not exist|unknown|unresolved)/);
    assert.match(messages.s, /^never runs: requires selfish, .*itself/);
    assert.match(messages.root, /^never runs: requires (m|c|r|s) → /);
    // The causes themselves carry their own diagnostic only.
    assert.deepEqual(Object.keys(messages).sort(), ['c', 'm', 'r', 'root', 's']);
  });

  it('follows the shortest chain to a cause', () => {
    const list = unreachable(
      tree([
        { id: 'root', deps: ['far'] },
        { id: 'x', deps: ['a', 'bad'] },
        { id: 'a', deps: ['b'] },
        { id: 'b', deps: ['bad'] },
        { id: 'bad', executor: 'nope' },
        { id: 'far', deps: ['x'] },
      ]),
    );
    assert.deepEqual(Object.fromEntries(list).x, "never runs: requires bad, whose executor 'nope' is unknown");
    assert.deepEqual(Object.fromEntries(list).root, "never runs: requires far → requires x → requires bad, whose executor 'nope' is unknown");
  });

  it('gives a task that is itself the cause only its own diagnostic', () => {
    const all = analyze(
      tree([
        { id: 'root', deps: ['own_exec', 'own_ref', 'own_loop'] },
        { id: 'bad', executor: 'nope' },
        { id: 'own_exec', deps: ['bad'], executor: 'also_nope' },
        { id: 'own_ref', deps: ['bad', 'ghost'] },
        { id: 'own_loop', deps: ['bad', 'partner'] },
        { id: 'partner', deps: ['own_loop'] },
      ]),
    );
    assert.deepEqual(
      only(all, 'unreachable').map((d) => d.task),
      ['root'],
    );
    assert.deepEqual(
      all.filter((d) => d.task === 'own_exec').map((d) => d.code),
      ['unknown-executor'],
    );
    assert.deepEqual(
      all.filter((d) => d.task === 'own_ref').map((d) => d.code),
      ['unknown-reference'],
    );
    assert.deepEqual(
      all.filter((d) => d.task === 'own_loop').map((d) => d.code),
      ['dependency-cycle'],
    );
  });

  it('does not propagate through optional dependencies', () => {
    expectNone(
      tree([
        { id: 'root', deps: ['fallback'] },
        { id: 'bad', executor: 'nope' },
        { id: 'fallback', deps: [{ id: 'bad', required: false }] },
        { id: 'later', deps: [{ id: 'ghost', required: false }] },
      ]),
      'unreachable',
    );
  });

  it('is not caused by a bad parent_id, which does not stop a task from running', () => {
    const all = analyze(
      tree([
        { id: 'root', deps: ['a'] },
        { id: 'a', deps: [] },
      ]).replace('parent_id: root', 'parent_id: rooot'),
    );
    assert.deepEqual(
      all.map((d) => d.code),
      ['unknown-reference'],
    );
  });

  it('stays linear on a 20,000-task chain', function () {
    this.timeout(60_000);
    const n = 20_000;
    const rows = ['tasks:'];
    for (let i = 0; i < n; i++) {
      const method = i === n - 1 ? 'parsr' : 'system_info_executor';
      const parent = i === 0 ? '' : `, parent_id: t${i - 1}`;
      const deps = i === n - 1 ? '' : `t${i + 1}`;
      rows.push(`  - { id: t${i}, name: T${i}${parent}, schemas: { method: ${method} }, dependencies: [${deps}] }`);
    }
    const all = analyze(`${rows.join('\n')}\n`);
    const list = only(all, 'unreachable');
    assert.equal(list.length, n - 1);
    assert.equal(list[0].message, `never runs: requires t1 → … → t${n - 1}, whose executor 'parsr' is unknown (${n - 1} steps)`);
  });
});
