import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandExecutor, TRUNCATION_MARKER } from '../../../../runtime/executors/command';
import { testContext } from './context';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('executors: command_executor', function () {
  this.timeout(15000);
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'apflow-cmd-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const exec = (inputs: Record<string, unknown>, context = testContext()) =>
    commandExecutor({ treeDir: dir, env: process.env, allowPrivateUrls: false })(inputs, context) as Promise<Record<string, unknown>>;

  it('returns trimmed output of a successful command, run in the tree folder by default', async () => {
    const r = await exec({ command: 'pwd; echo "  err  " >&2' });
    assert.deepEqual(r, { success: true, return_code: 0, stdout: dir, stderr: 'err' });
  });

  it('resolves a relative cwd against the tree folder and adds env', async () => {
    mkdirSync(join(dir, 'sub'));
    const r = await exec({ command: 'pwd; echo $GREETING', cwd: 'sub', env: { GREETING: 'hi' } });
    assert.equal(r.stdout, `${join(dir, 'sub')}\nhi`);
  });

  it('fails on a non-zero exit with the return code and the end of stderr', async () => {
    await assert.rejects(exec({ command: 'echo out; echo "it broke" >&2; exit 3' }), {
      message: 'Command failed with return code 3: it broke',
    });
    const long = await exec({ command: `head -c 5000 /dev/zero | tr '\\0' x >&2; echo END >&2; exit 1` }).catch((e: Error) => e.message);
    assert.ok(String(long).endsWith('xEND'));
    assert.equal(String(long).length, 'Command failed with return code 1: '.length + 2000);
    await assert.rejects(exec({ command: 'exit 4' }), { message: 'Command failed with return code 4 (it wrote nothing to stderr)' });
  });

  it('streams output to the task log', async () => {
    const context = testContext();
    await exec({ command: 'echo one; echo two >&2' }, context);
    assert.match(context.logs.join(''), /one/);
    assert.match(context.logs.join(''), /two/);
  });

  it('caps each stream at 1 MiB with a marker', async () => {
    const r = await exec({ command: 'head -c 1500000 /dev/zero | tr "\\0" y' });
    const out = r.stdout as string;
    assert.ok(out.endsWith(TRUNCATION_MARKER.trim()));
    assert.equal(out.length, 1024 * 1024 + TRUNCATION_MARKER.length);
  });

  it('kills the whole process group when its own timeout elapses', async () => {
    const pidFile = join(dir, 'child.pid');
    const started = Date.now();
    await assert.rejects(exec({ command: `sleep 30 & echo $! > ${pidFile}; wait`, timeout: 0.5 }), { message: 'Command timed out after 0.5 s' });
    assert.ok(Date.now() - started < 3000);
    const child = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(child > 0);
    assert.ok(await waitFor(() => !alive(child), 3000), `background child ${child} still alive`);
  });

  it('kills the process group when the task signal aborts', async () => {
    const pidFile = join(dir, 'child.pid');
    const controller = new AbortController();
    const pending = exec({ command: `sleep 30 & echo $! > ${pidFile}; wait` }, testContext(controller.signal));
    await waitFor(() => {
      try {
        return readFileSync(pidFile, 'utf8').trim().length > 0;
      } catch {
        return false;
      }
    }, 3000);
    controller.abort(new Error('Cancelled by user'));
    await assert.rejects(pending, { message: 'Cancelled by user' });
    const child = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(await waitFor(() => !alive(child), 3000), `child ${child} still alive`);
  });

  it('reports a working directory that does not exist', async () => {
    await assert.rejects(exec({ command: 'true', cwd: 'missing' }), /missing/);
  });
});
