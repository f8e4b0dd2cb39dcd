// parent-ordering (spec 2.2): parent_id never orders execution. A child C of P warns when neither
// depends on the other, directly or transitively: variant 1 when P aggregates results, variant 2
// otherwise. The two healthy shapes never warn.
import { strict as assert } from 'node:assert';
import { analyze, applyFix, dedent, expectAt, expectNone, only } from './fixture';

describe('analysis: parent-ordering (spec 2.2)', () => {
  const A04 = dedent`
    tasks:
      - id: report
        name: Report
        schemas: { method: aggregate_results_executor }
        dependencies: [cpu]
      - id: cpu
        name: CPU
        parent_id: report
        schemas: { method: system_info_executor }
        inputs: { resource: cpu }
      - id: disk
        name: Disk
        parent_id: «report»
        schemas: { method: system_info_executor }
        inputs: { resource: disk }
      - id: setup
        name: Setup
        parent_id: report
        schemas: { method: command_executor }
        inputs: { command: "mkdir -p out" }
        dependencies: [report]
      - id: write
        name: Write
        parent_id: «setup»
        schemas: { method: command_executor }
        inputs: { command: "touch out/x" }
  `;

  it('variant 1: an aggregating parent that does not depend on its child', () => {
    const { text, diagnostics } = expectAt(A04, 'parent-ordering', 'warning');
    const [disk] = diagnostics;
    assert.equal(disk.message, "'report' aggregates results but does not depend on its child 'disk': it may finish before 'disk' runs");
    assert.equal(disk.task, 'disk');
    assert.deepEqual(
      disk.fixes?.map((f) => [f.title, f.preferred ?? false]),
      [['Add `disk` to the dependencies of `report`', true]],
    );
    const fixed = applyFix(text, disk, 'Add `disk` to the dependencies of `report`');
    assert.equal(fixed, text.replace('dependencies: [cpu]', 'dependencies: [cpu, disk]'));
    assert.deepEqual(
      only(analyze(fixed), 'parent-ordering').map((d) => d.task),
      ['write'],
    );
  });

  it('variant 2: a child that does not depend on its parent, with both fixes', () => {
    const { text, diagnostics } = expectAt(A04, 'parent-ordering', 'warning');
    const write = diagnostics[1];
    assert.equal(
      write.message,
      "'write' is a child of 'setup' but does not depend on it: parent_id does not order execution, so 'write' may run before or alongside 'setup'",
    );
    assert.deepEqual(
      write.fixes?.map((f) => f.title),
      ['Add `setup` to the dependencies of `write`', 'Make `setup` wait for `write`'],
    );
    const childWaits = applyFix(text, write, 'Add `setup` to the dependencies of `write`');
    assert.equal(childWaits, `${text}    dependencies: [setup]\n`);
    const parentWaits = applyFix(text, write, 'Make `setup` wait for `write`');
    assert.equal(parentWaits, text.replace('dependencies: [report]', 'dependencies: [report, write]'));
    for (const fixed of [childWaits, parentWaits]) {
      assert.deepEqual(
        only(analyze(fixed), 'parent-ordering').map((d) => d.task),
        ['disk'],
      );
      assert.deepEqual(only(analyze(fixed), 'dependency-cycle'), []);
    }
  });

  it('never warns on the two healthy shapes, also when the ordering is transitive or optional', () => {
    expectNone(
      dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [a, { id: b, required: false }]
          - id: a
            name: A
            parent_id: root
            schemas: { method: system_info_executor }
            dependencies: [deep]
          - id: b
            name: B
            parent_id: root
            schemas: { method: system_info_executor }
          - id: deep
            name: Deep
            parent_id: Root
            schemas: { method: system_info_executor }
          - id: after
            name: After
            parent_id: a
            schemas: { method: system_info_executor }
            dependencies: [x]
          - id: x
            name: X
            parent_id: after
            schemas: { method: system_info_executor }
            dependencies: [{ name: A, required: false }]
      `,
      'parent-ordering',
    );
  });

  it('resolves the parent by name and names the tasks by id', () => {
    const { diagnostics } = expectAt(
      dedent`
        tasks:
          - id: root
            name: The root
            schemas: { method: system_info_executor }
          - id: kid
            name: Kid
            parent_id: «The root»
            schemas: { method: system_info_executor }
      `,
      'parent-ordering',
      'warning',
    );
    assert.match(diagnostics[0].message, /^'kid' is a child of 'root'/);
  });

  it('says nothing about a parent_id that does not resolve, or a task without one', () => {
    const all = analyze(dedent`
      tasks:
        - id: root
          name: Root
          schemas: { method: system_info_executor }
        - id: kid
          name: Kid
          parent_id: nobody
          schemas: { method: system_info_executor }
    `);
    assert.deepEqual(
      all.map((d) => d.code),
      ['unknown-reference'],
    );
  });
});
