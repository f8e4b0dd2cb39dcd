// parent-ordering (issue 11): parent_id does not guarantee order (apflow runs a node's ready children
// before the node). A child C of P that neither depends on P nor is depended on by it, directly or
// transitively, warns only where the file relies on an order: P aggregates results; C has a later
// priority than a P that does work; C has no inputs and no dependencies although its executor needs
// inputs. A child merely grouped under its parent never warns.
import { strict as assert } from 'node:assert';
import { analyze, dedent, expectAt, expectFixed, expectNone } from './fixture';

describe('analysis: parent-ordering (issue 11)', () => {
  it('an aggregating parent that does not depend on its child, with the fix', () => {
    const { text, diagnostics } = expectAt(
      dedent`
        tasks:
          - id: report
            name: Report
            schemas: { method: aggregate_results_executor }
            dependencies: [cpu]
          - id: cpu
            name: CPU
            parent_id: report
            schemas: { method: system_info_executor }
          - id: disk
            name: Disk
            parent_id: «report»
            schemas: { method: system_info_executor }
      `,
      'parent-ordering',
      'warning',
    );
    const [disk] = diagnostics;
    assert.equal(
      disk.message,
      "'report' aggregates its children's results but does not depend on 'disk': parent_id does not guarantee order, so 'report' may run before 'disk' finishes and miss its result",
    );
    assert.equal(disk.task, 'disk');
    assert.deepEqual(
      disk.fixes?.map((f) => [f.title, f.preferred ?? false]),
      [['Add `disk` to the dependencies of `report`', true]],
    );
    expectFixed(text, disk, 'Add `disk` to the dependencies of `report`', text.replace('dependencies: [cpu]', 'dependencies: [cpu, disk]'));
  });

  it('a chain ordered by priority alone (apflow runs the child first), with the fix', () => {
    const { text, diagnostics } = expectAt(
      dedent`
        tasks:
          - id: fetch
            name: Fetch
            priority: 1
          - id: process
            name: Process
            parent_id: «fetch»
            priority: 2
      `,
      'parent-ordering',
      'warning',
    );
    assert.equal(
      diagnostics[0].message,
      "'process' has a later priority (2) than its parent 'fetch' (1) but does not depend on it: parent_id does not guarantee order and priority only ranks tasks that are ready (apflow starts a task's ready children before the task itself), so 'process' may run first",
    );
    expectFixed(text, diagnostics[0], 'Add `fetch` to the dependencies of `process`', `${text}    dependencies: [fetch]\n`);
  });

  it('a child with nothing to work on under a parent that does work, with the fix', () => {
    const { text, diagnostics } = expectAt(
      dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: rest_executor }
            inputs: { url: "https://example.com/data" }
          - id: notify
            name: Notify
            parent_id: «root»
            schemas: { method: send_email_executor }
      `,
      'parent-ordering',
      'warning',
    );
    assert.equal(
      diagnostics[0].message,
      "'notify' has no inputs and no dependencies, so it can only be waiting for the result of its parent 'root': parent_id does not guarantee order and passes no results (apflow starts a task's ready children before the task itself). Make 'notify' depend on 'root'",
    );
    expectFixed(text, diagnostics[0], 'Add `root` to the dependencies of `notify`');
  });

  it('two commands written parent-then-child (the acceptance tree a04), with the fix', () => {
    const { text, diagnostics } = expectAt(
      dedent`
        tasks:
          - id: setup
            name: Setup
            schemas: { method: command_executor }
            inputs: { command: "mkdir -p out" }
          - id: write
            name: Write
            parent_id: «setup»
            schemas: { method: command_executor }
            inputs: { command: "touch out/x" }
      `,
      'parent-ordering',
      'warning',
    );
    assert.equal(
      diagnostics[0].message,
      "'write' and its parent 'setup' both run `command_executor`, whose effects are ordered only by dependencies, but neither depends on the other: parent_id does not guarantee order (apflow starts a task's ready children before the task itself), so 'write' may run before 'setup'",
    );
    expectFixed(text, diagnostics[0], 'Add `setup` to the dependencies of `write`', `${text}    dependencies: [setup]\n`);
  });

  it('never warns on a child that is only grouped under its parent', () => {
    // apflow's own tutorials: a container root (no executor) over children at a later priority, a
    // parent and child that each have their inputs, children of a root without an executor.
    expectNone(
      dedent`
        tasks:
          - id: root
            name: Root
            priority: 1
          - id: cpu
            name: CPU
            parent_id: root
            priority: 2
            schemas: { method: system_info_executor }
          - id: memory
            name: Memory
            parent_id: root
            priority: 2
            schemas: { method: system_info_executor }
          - id: ping
            name: Ping
            parent_id: cpu
            schemas: { method: command_executor }
            inputs: { command: "true", timeout: 5 }
      `,
      'parent-ordering',
    );
  });

  it('never warns when the order is given by a dependency, also transitively or optionally', () => {
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
            priority: 3
            schemas: { method: system_info_executor }
            dependencies: [x]
          - id: x
            name: X
            parent_id: after
            schemas: { method: send_email_executor }
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
            schemas: { method: aggregate_results_executor }
          - id: kid
            name: Kid
            parent_id: «The root»
            schemas: { method: system_info_executor }
      `,
      'parent-ordering',
      'warning',
    );
    assert.match(diagnostics[0].message, /^'root' aggregates its children's results but does not depend on 'kid'/);
  });

  it('says nothing about a parent_id that does not resolve, or a task without one', () => {
    const all = analyze(dedent`
      tasks:
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
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
