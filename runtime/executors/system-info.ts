// system_info_executor (spec 5.1): real values from the host — Node's `os` module, /proc/cpuinfo for
// physical cores on Linux, and statfs for the file system of the tree's folder.
import { readFile, statfs } from 'node:fs/promises';
import * as os from 'node:os';
import type { ExecutorFn } from '../types';
import type { ExecutorHost } from './host';

const RESOURCES = ['cpu', 'memory', 'disk', 'all'] as const;
type Resource = (typeof RESOURCES)[number];

export function systemInfo(host: ExecutorHost): ExecutorFn {
  return async (inputs, context) => {
    const resource = inputs.resource ?? 'all';
    if (!RESOURCES.includes(resource as Resource)) {
      throw new Error(`Invalid resource ${JSON.stringify(resource)}: use one of ${RESOURCES.join(', ')}`);
    }
    const seconds = typeof inputs.timeout === 'number' ? inputs.timeout : 30;
    const report = collect(resource as Resource, host.treeDir);
    // statfs can hang on a dead network mount; the executor's own timeout and the signal both end it.
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`system_info_executor timed out after ${seconds} s`)), seconds * 1000);
      const { signal } = context;
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      report.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
    });
  };
}

async function collect(resource: Resource, dir: string): Promise<Record<string, unknown>> {
  switch (resource) {
    case 'cpu':
      return cpu();
    case 'memory':
      return memory();
    case 'disk':
      return disk(dir);
    case 'all':
      return { cpu: await cpu(), memory: memory(), disk: await disk(dir) };
  }
}

/** Python's platform.system() names, as apflow reports them. */
function system(): string {
  const type = os.type();
  return type === 'Windows_NT' ? 'Windows' : type;
}

async function cpu(): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  return { system: system(), brand: cpus[0]?.model.trim() ?? null, cores: await physicalCores(), threads: os.availableParallelism() };
}

/** Distinct (physical id, core id) pairs; null when the host does not say (never a guess). */
async function physicalCores(): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  const text = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  return cores.size > 0 ? cores.size : null;
}

function memory(): Record<string, unknown> {
  return { system: system(), total_gb: Math.round((os.totalmem() / 1024 ** 3) * 100) / 100 };
}

/** In `df -h`'s format, as apflow reports disks. */
async function disk(dir: string): Promise<Record<string, unknown>> {
  const s = await statfs(dir);
  const total = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const available = s.bavail * s.bsize;
  const percent = used + available === 0 ? 0 : Math.ceil((used / (used + available)) * 100);
  return { system: system(), total: humanSize(total), used: humanSize(used), available: humanSize(available), used_percent: `${percent}%` };
}

export function humanSize(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return String(bytes);
  return `${value < 10 ? (Math.ceil(value * 10) / 10).toFixed(1) : Math.ceil(value)}${units[unit]}`;
}
