// Signals to the real CLI (issue 10): SIGTERM, SIGHUP and a second SIGINT cancel the run, end every
// command's process group (even one that ignores SIGTERM), record the run and exit 128 + the signal.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, cli, json, startCli, workspace } from './cli-helpers';
import { killGroups, membersOf } from './processes';

// `stubborn` ignores SIGTERM (and so do its children, which inherit that), and keeps a background
// child; `plain` is an ordinary long command. Each writes its shell's pid, its process group's id.
const TREE = `tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [stubborn, plain]
  - id: stubborn
    name: Stubborn
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "trap '' TERM; sleep 60 & echo $$ > stubborn.pid; sleep 60; wait", timeout: 300 }
  - id: plain
    name: Plain
    parent_id: root
    schemas: { method: command_executor }
    inputs: { command: "echo $$ > plain.pid; sleep 60", timeout: 300 }
`;

interface RunDoc {
  run: { id: string; status: string; error: string | null };
  tasks: { id: string; status: string; error: string | null }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CLI: signals end the run and everything it started (issue 10)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  let groups: number[] = [];
  before(buildIfStale);
  beforeEach(() => (ws = workspace({ 'cmds.apflow.yaml': TREE })));
  afterEach(() => {
    killGroups(groups);
    groups = [];
    ws.cleanup();
  });

  /** Starts the run and resolves once both commands are running, with their process groups. */
  async function started() {
    const run = startCli(['run', 'cmds.apflow.yaml', '--json'], ws.dir);
    const pidFiles = ['stubborn.pid', 'plain.pid'].map((f) => join(ws.dir, f));
    for (let i = 0; i < 200 && !pidFiles.every(existsSync); i++) await sleep(50);
    groups = pidFiles.map((f) => Number(readFileSync(f, 'utf8')));
    assert.equal(membersOf(groups).length >= 4, true, 'both shells and their sleeps are running');
    return run;
  }

  for (const [signals, status, named] of [
    [['SIGTERM'], 143, 'SIGTERM'],
    [['SIGHUP'], 129, 'SIGHUP'],
    [['SIGINT', 'SIGINT'], 130, 'SIGINT'],
  ] as const) {
    it(`${signals.join(' then ')}: records the run cancelled naming ${named}, leaves no command process, exits ${status}`, async () => {
      const run = await started();
      for (const [i, signal] of signals.entries()) {
        run.kill(signal);
        if (i < signals.length - 1) await run.stderrIncludes('cancelling the run');
      }
      const r = await run.done;
      assert.equal(r.signal, null, `the CLI ended by itself, not killed by ${r.signal}`);
      assert.equal(r.code, status, r.stderr);
      assert.deepEqual(membersOf(groups), [], 'no process of any command survives');
      const doc = json<RunDoc>(r);
      assert.equal(doc.run.status, 'cancelled');
      assert.match(doc.run.error ?? '', new RegExp(named));
      assert.deepEqual(doc.tasks.map((t) => t.status), ['cancelled', 'cancelled', 'cancelled']);
      const shown = json<RunDoc>(await cli(['show', doc.run.id, '--json'], ws.dir));
      assert.equal(shown.run.status, 'cancelled', 'the history has the run');
      assert.match(shown.run.error ?? '', new RegExp(named));
    });
  }
});
