// A history whose cells were damaged (edited by hand, a bad page): `show` still shows the run, with the
// cells that cannot be read marked, and never a stack trace (issue 10).
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlJs } from '../../runtime/history/sqljs';
import { buildIfStale, cli, json, workspace } from './cli-helpers';

const TREE = `tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [leaf]
  - id: leaf
    name: Leaf
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "echo hi" }
`;

interface RunDoc {
  run: { id: string; status: string };
  tasks: { id: string; status: string; name: string; result: unknown; inputs: unknown }[];
}

describe('CLI: show with damaged cells in the history (issue 10)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  before(buildIfStale);
  beforeEach(() => (ws = workspace({ 'tree.apflow.yaml': TREE })));
  afterEach(() => ws.cleanup());

  it('shows the other fields and marks the cell unreadable', async () => {
    const ran = json<RunDoc>(await cli(['run', 'tree.apflow.yaml', '--json'], ws.dir));
    const path = join(ws.dir, '.apflow', 'history.sqlite');
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(path));
    db.run("UPDATE tasks SET result = '{\"stdout\": \"hi' WHERE id = 'leaf'");
    writeFileSync(path, db.export());
    db.close();

    const text = await cli(['show', ran.run.id], ws.dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /leaf\s+completed .*\(unreadable in the history: result\)/);
    assert.doesNotMatch(text.stderr, /\n\s+at /);
    const doc = json<RunDoc>(await cli(['show', ran.run.id, '--json'], ws.dir));
    const leaf = doc.tasks.find((t) => t.id === 'leaf');
    assert.deepEqual(leaf?.result, { $unreadable: 'the stored result is not valid JSON' });
    assert.equal(leaf?.name, 'Leaf', 'the other fields are shown');
    assert.deepEqual(leaf?.inputs, { command: 'echo hi' });
  });
});
