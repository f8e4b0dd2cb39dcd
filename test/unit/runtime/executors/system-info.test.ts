import { strict as assert } from 'node:assert';
import { statfsSync } from 'node:fs';
import * as os from 'node:os';
import { humanSize, systemInfo } from '../../../../runtime/executors/system-info';
import { testContext } from './context';

interface Report {
  system: string;
  brand: string;
  cores: number | null;
  threads: number;
  total_gb: number;
  total: string;
  available: string;
  used_percent: string;
}

describe('executors: system_info_executor', () => {
  const dir = os.tmpdir();
  const run = (inputs: Record<string, unknown>) => systemInfo({ treeDir: dir, env: {}, allowPrivateUrls: false })(inputs, testContext()) as Promise<Report>;

  it('reports the host CPU and memory', async () => {
    const cpu = await run({ resource: 'cpu' });
    assert.equal(cpu.system, os.type() === 'Windows_NT' ? 'Windows' : os.type());
    assert.equal(cpu.threads, os.availableParallelism());
    assert.equal(cpu.brand, os.cpus()[0].model.trim());
    assert.ok(cpu.cores === null || (cpu.cores >= 1 && cpu.cores <= cpu.threads));
    const memory = await run({ resource: 'memory' });
    assert.equal(memory.total_gb, Math.round((os.totalmem() / 1024 ** 3) * 100) / 100);
  });

  it('reports the disk of the working directory in df -h units', async () => {
    const disk = await run({ resource: 'disk' });
    const s = statfsSync(dir);
    assert.equal(disk.total, humanSize(s.blocks * s.bsize));
    assert.equal(disk.available, humanSize(s.bavail * s.bsize));
    assert.match(disk.used_percent, /^\d{1,3}%$/);
  });

  it('reports everything by default', async () => {
    assert.deepEqual(Object.keys(await run({})), ['cpu', 'memory', 'disk']);
  });

  it('fails an invalid resource listing the valid values', async () => {
    await assert.rejects(run({ resource: 'gpu' }), /Invalid resource "gpu": use one of cpu, memory, disk, all/);
  });

  it('formats sizes like df -h', () => {
    assert.equal(humanSize(512), '512');
    assert.equal(humanSize(1536), '1.5K');
    assert.equal(humanSize(252 * 1024 ** 3), '252G');
    assert.equal(humanSize(9.81 * 1024 ** 3), '9.9G');
  });
});
