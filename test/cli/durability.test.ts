// A run killed with SIGKILL (issue 10): nothing can be done at the kill, so what is on disk is what
// was written before it. The history must hold the run and every event older than about a second.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHistory } from '../../runtime';
import { buildIfStale, startCli, workspace } from './cli-helpers';
import { killGroups } from './processes';

// A command that keeps the run busy: a log line every 50 ms, each a change to write.
const TREE = `tasks:
  - id: talk
    name: Talk
    schemas: { method: command_executor }
    inputs: { command: "echo $$ > talk.pid; while true; do echo tick; sleep 0.05; done", timeout: 300 }
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CLI: the history survives a SIGKILL (issue 10)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  before(buildIfStale);
  beforeEach(() => (ws = workspace({ 'talk.apflow.yaml': TREE })));
  afterEach(() => {
    // The command's group outlives a killed CLI: nobody was left to end it.
    const pidFile = join(ws.dir, 'talk.pid');
    if (existsSync(pidFile)) killGroups([Number(readFileSync(pidFile, 'utf8'))]);
    ws.cleanup();
  });

  it('holds the run and its events up to about a second before the kill, while changes kept coming', async () => {
    const run = startCli(['run', 'talk.apflow.yaml'], ws.dir);
    await run.stderrIncludes('talk in_progress');
    const startedAt = Date.now();
    await sleep(2000);
    const killedAt = Date.now();
    run.kill('SIGKILL');
    await run.done;

    const path = join(ws.dir, '.apflow', 'history.sqlite');
    assert.ok(existsSync(path), 'the history file was written before the kill');
    const history = await LocalHistory.open({ path, mode: 'read' });
    try {
      const runs = await history.listRuns({ limit: 5 });
      assert.equal(runs.length, 1, 'the killed run is in the history');
      const logs = (await history.eventsOf(runs[0].id)).filter((e) => e.kind === 'log');
      const newest = Math.max(...logs.map((e) => e.at));
      assert.ok(newest >= killedAt - 1300, `the newest event written is ${killedAt - newest} ms older than the kill (task started ${killedAt - startedAt} ms before it)`);
    } finally {
      await history.close();
    }
  });
});
