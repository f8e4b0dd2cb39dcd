// Export per target (spec 3.10, issue 11): the task array apflow's TaskCreator gets, with priority
// written, runtime fields left out, and the fields of the target's line only.
import { strict as assert } from 'node:assert';
import { analyzeFile, type AnalysisEnv } from '../../../analysis';
import { apflowExport } from '../../../runtime';

const ENV: AnalysisEnv = { fileExists: () => true };

const TREE = `tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [fetch, old]
  - id: fetch
    name: Fetch
    parent_id: root
    priority: 0
    schemas: { method: rest_executor }
    inputs: { url: https://example.com }
    timeout: 5
    max_attempts: 3
    backoff_strategy: fixed
    token_budget: 100
  - id: old
    name: Old
    parent_id: root
    schemas: { method: aggregate_results_executor }
    status: completed
    result: { n: 1 }
`;

function exported(target: '0.18' | '0.20') {
  return apflowExport(analyzeFile(`apflow_version: "${target}"\n${TREE}`, '/ws/t.apflow.yaml', ENV).model);
}

describe('runtime: export to apflow per target', () => {
  it('writes priority explicitly, keeping a 0 and writing 2 where it was unset', () => {
    assert.deepEqual(exported('0.18').tasks.map((t) => t.priority), [2, 0, 2]);
  });

  it('leaves runtime fields out and reports them, whatever the target', () => {
    for (const target of ['0.18', '0.20'] as const) {
      const { tasks, leftOut } = exported(target);
      assert.ok(!('status' in tasks[2]) && !('result' in tasks[2]), `${target}: status and result left out`);
      assert.deepEqual(
        leftOut.filter((l) => l.reason === 'runtime').map((l) => [l.key, l.tasks]),
        [['status', ['old']], ['result', ['old']]],
      );
    }
  });

  it('on 0.18 leaves out the fields 0.18 has no column for, and says which', () => {
    const { tasks, leftOut } = exported('0.18');
    for (const key of ['max_attempts', 'backoff_strategy', 'token_budget', 'timeout']) assert.ok(tasks.every((t) => !(key in t)), key);
    assert.deepEqual(
      leftOut.map((l) => [l.key, l.reason, l.tasks]),
      [
        ['timeout', 'extension', ['fetch']],
        ['max_attempts', 'target', ['fetch']],
        ['backoff_strategy', 'target', ['fetch']],
        ['token_budget', 'target', ['fetch']],
        ['status', 'runtime', ['old']],
        ['result', 'runtime', ['old']],
      ],
    );
  });

  it('on 0.20 keeps them and writes max_attempts explicitly (0.20 defaults to 3, this format to 1)', () => {
    const { tasks, leftOut } = exported('0.20');
    assert.deepEqual(tasks.map((t) => t.max_attempts), [1, 3, 1]);
    assert.equal(tasks[1].backoff_strategy, 'fixed');
    assert.equal(tasks[1].token_budget, 100);
    assert.deepEqual(leftOut.map((l) => l.key), ['timeout', 'status', 'result']);
  });
});
