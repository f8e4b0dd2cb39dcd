// A full disk (issue 10), on a real size-limited file system: a small tmpfs mounted for the test (it
// needs root, as CI has). The run's outcome still prints with its exit status, the old history stays
// whole, no temporary file or lock is left, and the message names the file and the cause.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale, cli, json, workspace } from './cli-helpers';

const OK_TREE = `tasks:
  - id: hello
    name: Hello
    schemas: { method: command_executor }
    inputs: { command: "echo hello" }
`;
/** Fills the disk while it runs, so that the end-of-run write finds it full. */
const FILLING_TREE = (disk: string) => `tasks:
  - id: fill
    name: Fill
    schemas: { method: command_executor }
    inputs: { command: "head -c 4000000 /dev/zero > ${disk}/filler; echo filled", timeout: 20 }
`;

interface RunDoc {
  run: { id: string; status: string };
  tasks: { id: string; status: string }[];
}

/** Fills what is left of the disk (writes until ENOSPC). */
function fill(disk: string): void {
  try {
    writeFileSync(join(disk, 'filler'), Buffer.alloc(8 * 1024 * 1024));
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  }
}

describe('CLI: a full disk (issue 10, on a 1 MiB tmpfs)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  let disk: string;
  before(buildIfStale);
  beforeEach(() => {
    disk = mkdtempSync(join(tmpdir(), 'apflow-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
    ws = workspace({ 'ok.apflow.yaml': OK_TREE, 'fill.apflow.yaml': FILLING_TREE(disk) });
  });
  afterEach(() => {
    execFileSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
    ws.cleanup();
  });

  const history = () => join(disk, 'h.sqlite');

  async function firstRun(): Promise<{ id: string; bytes: Buffer }> {
    const r = await cli(['run', 'ok.apflow.yaml', '--history', history(), '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    return { id: json<RunDoc>(r).run.id, bytes: readFileSync(history()) };
  }

  async function assertOutcome(args: string[], earlier: { id: string; bytes: Buffer }) {
    const r = await cli([...args, '--history', history(), '--json'], ws.dir);
    assert.equal(r.code, 0, `the completed run exits 0 whatever became of its record:\n${r.stderr}`);
    assert.equal(json<RunDoc>(r).run.status, 'completed', 'the --json document is printed');
    assert.ok(r.stderr.includes(history()), `the message names the file:\n${r.stderr}`);
    assert.match(r.stderr, /the disk is full/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(readdirSync(disk).sort(), ['filler', 'h.sqlite'], 'no temporary file, no lock');
    assert.deepEqual(readFileSync(history()), earlier.bytes, 'the old history is intact');
    const listed = await cli(['history', '--history', history(), '--json'], ws.dir);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(json<{ runs: { id: string }[] }>(listed).runs.map((x) => x.id), [earlier.id]);
  }

  it('fills up during the run: the end-of-run write fails cleanly', async () => {
    const earlier = await firstRun();
    await assertOutcome(['run', 'fill.apflow.yaml'], earlier);
  });

  it('is full before the run starts: the run goes ahead unrecorded, and says so', async () => {
    const earlier = await firstRun();
    fill(disk);
    await assertOutcome(['run', 'ok.apflow.yaml'], earlier);
  });
});
