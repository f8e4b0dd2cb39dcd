// scripts/system-packages.mjs, the check `npm test` and `.ci/run` start with. Nothing is installed or
// removed here: the absent package is a made-up name checked with --dry-run (as root) or as an
// unprivileged user, where the script can only say what to run.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ORIGINAL = join(resolve(__dirname, '../../..'), 'scripts', 'system-packages.mjs');
const ABSENT = ['--require', '/nonexistent/apflow-probe=apflow-absent-probe'];
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
/** Runs as an unprivileged user: as root, as `nobody`; otherwise as ourselves. */
const unprivileged: SpawnSyncOptions = isRoot ? { uid: NOBODY, gid: NOBODY } : {};

describe('scripts/system-packages.mjs', () => {
  // `nobody` may not be able to enter the checkout (a clone under /root, or in a private temp dir):
  // the script, which imports nothing of the project, runs from a copy it can read.
  let dir: string;
  let script: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-sys-'));
    chmodSync(dir, 0o755);
    script = join(dir, 'system-packages.mjs');
    copyFileSync(ORIGINAL, script);
    chmodSync(script, 0o644);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], options: SpawnSyncOptions = {}) {
    const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 20000, ...options });
    return { code: result.status, out: `${String(result.stdout)}${String(result.stderr)}` };
  }

  it('is silent and succeeds when what it checks is present (a command on PATH and a file)', () => {
    const r = run(['--require', 'node=nodejs', '--require', `${process.execPath}=nodejs`], unprivileged);
    assert.deepEqual(r, { code: 0, out: '' });
  });

  it('without root, names the missing package and the one command to run, and fails', () => {
    const r = run(ABSENT, unprivileged);
    assert.equal(r.code, 1);
    assert.match(r.out, /need Debian packages that are not installed: apflow-absent-probe\./);
    assert.ok(r.out.includes("sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends apflow-absent-probe'"), r.out);
    assert.doesNotMatch(r.out, /\n\s+at /, 'no stack trace');
  });

  it('as root with --dry-run, says what it would install and installs nothing', function () {
    if (!isRoot) {
      // Not root: the dry run can only say what to run, as in the previous case.
      assert.equal(run(['--dry-run', ...ABSENT]).code, 1);
      return;
    }
    const r = run(['--dry-run', ...ABSENT]);
    assert.equal(r.code, 0);
    assert.equal(r.out, 'would install apflow-absent-probe: apt-get update && apt-get install -y --no-install-recommends apflow-absent-probe\n');
  });

  it('names each missing package once, in the order given', () => {
    const r = run(['--require', '/nonexistent/a=pkg-one', '--require', '/nonexistent/b=pkg-two', '--require', '/nonexistent/c=pkg-one'], unprivileged);
    assert.match(r.out, /not installed: pkg-one, pkg-two\./);
  });

  it('rejects an unknown argument with its usage and exit status 2', () => {
    const r = run(['--requires', 'x']);
    assert.equal(r.code, 2);
    assert.equal(r.out, "system-packages: unknown argument '--requires'; usage: system-packages.mjs [--dry-run] [--require FILE=PACKAGE …]\n");
  });
});
