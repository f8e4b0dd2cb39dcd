// Tree tests in the Testing view (issue 14), in a real VS Code: a new test file's items appear, the
// tree gets its `▶ N tests` lens, and running it shows a failing case's message at the line of the
// expectation that failed (and coverage hints in the tree).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../client/activate';
import { api, click, fixture, lensNamed, open, waitFor, workspaceDir } from './helpers';

const TREE = `executors:
  ok: { module: ./exec.mjs, export: ok }
tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [leaf]
  - id: leaf
    name: Leaf
    parent_id: root
    schemas: { method: ok }
`;

const TESTS = `tree: tested.apflow.yaml
cases:
  - name: a mocked leaf completes the root
    mocks: { leaf: { result: { v: 1 } } }
    expect: { status: completed }
  - name: expects the wrong status
    mocks: { leaf: { fail: "down" } }
    expect:
      tasks:
        root: { status: completed }
`;

describe('tree tests in the Testing view', function () {
  this.timeout(60000);
  let a: TestApi;

  before(async () => {
    a = await api();
    writeFileSync(join(workspaceDir(), 'tested.apflow.yaml'), TREE);
    writeFileSync(join(workspaceDir(), 'tested.apflow.test.yaml'), TESTS);
  });

  it('shows the test file and its cases as items once the file appears', async () => {
    const id = fixture('tested.apflow.test.yaml').toString();
    const item = await waitFor('the test file item', () => a.treeTests.controller.items.get(id));
    const cases = await waitFor('its two cases', () => {
      const all: vscode.TestItem[] = [];
      item.children.forEach((c) => all.push(c));
      return all.length === 2 ? all : undefined;
    });
    assert.deepEqual(
      cases.map((c) => [c.label, c.range?.start.line]),
      [
        ['a mocked leaf completes the root', 2],
        ['expects the wrong status', 5],
      ],
    );
  });

  it('runs them from the tree lens: the failing case shows its message at the expectation', async () => {
    const uri = fixture('tested.apflow.yaml');
    await open('tested.apflow.yaml');
    const lens = await waitFor('the ▶ 2 tests lens', () => lensNamed(uri, '▶ 2 tests'));
    await click(lens);
    const id = fixture('tested.apflow.test.yaml').toString();
    const passed = a.treeTests.reported.get(`${id}#0`);
    const failed = a.treeTests.reported.get(`${id}#1`);
    assert.equal(passed?.state, 'passed');
    assert.equal(failed?.state, 'failed');
    const message = failed?.messages[0];
    assert.equal(message?.message, "expected 'root' to be completed, but it stayed pending, blocked by 'leaf'");
    assert.equal(message?.location?.uri.toString(), id);
    assert.equal(message?.location?.range.start.line, 9);
    // The edge leaf → root was exercised with a failure; every task ran: no coverage hints remain.
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'apflow tests'),
      [],
    );
  });
});
