// Input a user can get wrong (issue 10): paths that are not regular files, readers that go away, paths
// that cannot be written, folders without trees, silenced errors, files that are not histories. Every
// case ends with a plain message and exit 2 (or quietly), never a stack trace and never a hang.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, cli, CLI, workspace, type CliResult } from './cli-helpers';

const OK = `tasks:
  - id: hello
    name: Hello
    schemas: { method: command_executor }
    inputs: { command: "echo hello" }
`;
// Every task misspells `dependencies`: one warning per task, a long validate output.
const NOISY = (i: number) => `tasks:\n  - id: t${i}\n    name: T${i}\n    schemas: { method: aggregate_results_executor }\n    dependancies: []\n`;

const noStack = (r: CliResult) => assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, `no stack trace:\n${r.stderr}`);

describe('CLI: hostile input (issue 10)', function () {
  this.timeout(30000);
  let ws: ReturnType<typeof workspace>;
  before(buildIfStale);
  beforeEach(() => {
    ws = workspace({ 'ok.apflow.yaml': OK });
    execFileSync('mkfifo', [join(ws.dir, 'fifo.apflow.yaml')]);
  });
  afterEach(() => ws.cleanup());

  for (const command of ['validate', 'run', 'export']) {
    it(`${command} refuses a FIFO given as the tree file instead of hanging`, async () => {
      const r = await cli([command, 'fifo.apflow.yaml'], ws.dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read fifo\.apflow\.yaml: it is a named pipe \(FIFO\), not a regular file/);
      noStack(r);
    });
  }

  it('skips a FIFO in a folder walk and says so, validating the rest', async () => {
    const r = await cli(['validate', '.'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped fifo\.apflow\.yaml: it is not a regular file/);
    assert.match(r.stdout, /in 1 file\n$/);
  });

  it('exits 2 for a folder without tree files, and for one whose only tree file is not readable', async () => {
    mkdirSync(join(ws.dir, 'empty'));
    const empty = await cli(['validate', 'empty'], ws.dir);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no task tree files \(\*\.apflow\.yaml, \*\.apflow\.yml, \*\.apflow\.json\) in empty/);
    mkdirSync(join(ws.dir, 'dangling'));
    symlinkSync(join(ws.dir, 'gone.apflow.yaml'), join(ws.dir, 'dangling', 'gone.apflow.yaml'));
    const dangling = await cli(['validate', 'dangling'], ws.dir);
    assert.equal(dangling.code, 2);
    assert.match(dangling.stderr, /skipped dangling\/gone\.apflow\.yaml: it is a link to nothing readable/);
  });

  it('says why a tree file cannot be read, in words', async () => {
    symlinkSync('loop-b.apflow.yaml', join(ws.dir, 'loop-a.apflow.yaml'));
    symlinkSync('loop-a.apflow.yaml', join(ws.dir, 'loop-b.apflow.yaml'));
    mkdirSync(join(ws.dir, 'dir.apflow.yaml'));
    for (const [args, reason] of [
      [['run', 'missing.apflow.yaml'], 'cannot read missing.apflow.yaml: it does not exist (ENOENT)'],
      [['export', 'dir.apflow.yaml'], 'cannot read dir.apflow.yaml: it is a folder, not a regular file'],
      [['run', 'loop-a.apflow.yaml'], 'cannot read loop-a.apflow.yaml: its symbolic links form a loop (ELOOP)'],
      [['validate', 'missing.apflow.yaml'], 'cannot read missing.apflow.yaml: it does not exist (ENOENT)'],
    ] as const) {
      const r = await cli([...args], ws.dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.stderr.includes(reason), `${args.join(' ')}:\n${r.stderr}`);
      noStack(r);
    }
  });

  it('export names the path it cannot write, and why', async () => {
    const r = await cli(['export', 'ok.apflow.yaml', '--out', '/nonexistent/x.json'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write \/nonexistent\/x\.json: its folder does not exist \(ENOENT\)/);
    noStack(r);
  });

  it('ends quietly when its reader goes away (validate | head -1)', async () => {
    mkdirSync(join(ws.dir, 'many'));
    for (let i = 0; i < 3000; i++) writeFileSync(join(ws.dir, 'many', `t${i}.apflow.yaml`), NOISY(i));
    const child = spawn(process.execPath, [CLI, 'validate', 'many'], { cwd: ws.dir });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Read the first chunk, then close the pipe, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `the status validate would have had (warnings only):\n${stderr}`);
    assert.equal(stderr, '', 'nothing on stderr: no EPIPE, no stack');
  });

  it('refuses to run a task whose missing executor was silenced: silencing hides a diagnostic, it never makes a tree runnable', async () => {
    writeFileSync(join(ws.dir, 'silenced.apflow.yaml'), `# apflow-disable\ntasks:\n  - id: greet\n    name: Greet\n    schemas: { method: greet }\n`);
    const r = await cli(['run', 'silenced.apflow.yaml'], ws.dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /error unknown-executor: task 'greet' cannot run: there is no executor 'greet'/);
    assert.match(r.stderr, /run refused/);
    noStack(r);
  });

  for (const args of [['history'], ['show', 'abcd1234'], ['run', 'ok.apflow.yaml']]) {
    it(`${args[0]} --history notes.txt refuses a file that is not a history, and leaves it as it was`, async () => {
      const notes = join(ws.dir, 'notes.txt');
      writeFileSync(notes, 'my notes\n');
      const r = await cli([...args, '--history', 'notes.txt'], ws.dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /notes\.txt is not an apflow run history \(it is not a SQLite database\), so it was left as it is/);
      assert.equal(readFileSync(notes, 'utf8'), 'my notes\n');
      assert.deepEqual(readdirSync(ws.dir).filter((f) => f.startsWith('notes')), ['notes.txt'], 'not moved aside');
      noStack(r);
    });
  }
});
