// Benchmark of `apflow-yaml validate` (issue 9): the built CLI (dist/cli.js) as a real process on a
// 10,000-task file and on a 50 MB (≈ 250,000-task) file: wall time and peak resident set, each next
// to its target. Prints figures; asserts nothing.
//   node -r esbuild-register test/bench/cli.ts [tasks…]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../lsp/lsp-client';
import { generateTree } from './generate';
import { mib, percentile, target } from './stats';

const CLI = join(ROOT, 'dist', 'cli.js');

export interface Run {
  wall: number;
  /** Peak resident set (VmHWM), sampled until the process exits; NaN where /proc is missing. */
  peak: number;
  /**
   * User + system CPU in ms, sampled likewise (up to one sampling interval short). On a shared machine
   * the wall time follows the load; the CPU time is what the change itself costs.
   */
  cpu: number;
  exitCode: number | null;
}

/** CPU time so far of process `pid` in ms (utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function peakOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
  } catch {
    return NaN;
  }
}

/** `pid` and its descendants (a large tree is validated in a child process, cli/young-generation.ts). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const child of readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').split(' ').filter(Boolean)) out.push(Number(child));
    } catch {
      // gone already
    }
  }
  return out;
}

/**
 * Runs the CLI with `args`; the peak is read every 20 ms, and VmHWM only grows, so the last read is
 * close to the true peak. With a child process (a large tree is validated in one), the peak is the sum
 * of each process's own peak (an upper bound) and the CPU time their sum.
 */
export function measureCli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    const peaks = new Map<number, number>();
    const cpus = new Map<number, number>();
    let stderr = '';
    const sampler = setInterval(() => {
      for (const pid of processTree(child.pid as number)) {
        const now = peakOf(pid);
        if (!Number.isNaN(now)) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, now));
        const used = cpuOf(pid);
        if (!Number.isNaN(used)) cpus.set(pid, used);
      }
    }, 20);
    const total = (values: Map<number, number>) => (values.size ? [...values.values()].reduce((a, b) => a + b, 0) : NaN);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      clearInterval(sampler);
      if (stderr) console.log(`    stderr: ${stderr.trim().split('\n')[0]}`);
      resolve({ wall: performance.now() - started, peak: total(peaks), cpu: total(cpus), exitCode });
    });
  });
}

const PLAN = [
  { tasks: 10000, runs: 5, wallTarget: 1000, peakTarget: Infinity },
  { tasks: 250000, runs: 1, wallTarget: Infinity, peakTarget: 2 ** 30 },
];

export async function cliBench(sizes = PLAN.map((p) => p.tasks)): Promise<void> {
  console.log('\n== apflow-yaml validate (dist/cli.js, a real process) ==');
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'apflow-bench-cli-'));
  try {
    for (const { tasks, runs, wallTarget, peakTarget } of PLAN.filter((p) => sizes.includes(p.tasks))) {
      const file = join(dir, `tree-${tasks}.apflow.yaml`);
      const { text } = generateTree(tasks);
      writeFileSync(file, text);
      const results: Run[] = [];
      for (let i = 0; i < runs; i++) results.push(await measureCli(['validate', file]));
      const wall = percentile(results.map((r) => r.wall), 50);
      const peak = percentile(results.map((r) => r.peak), 50);
      const cpu = percentile(results.map((r) => r.cpu), 50);
      const wallGoal = wallTarget < Infinity ? ` ${target(wall, wallTarget)}` : '';
      const peakGoal = peakTarget < Infinity ? ` ${target(peak, peakTarget, mib)}` : '';
      const exits = [...new Set(results.map((r) => r.exitCode))].join(', ');
      console.log(`  ${tasks} tasks (${mib(text.length)}): wall ${(wall / 1000).toFixed(2)} s${wallGoal}, CPU ${(cpu / 1000).toFixed(2)} s, peak RSS ${mib(peak)}${peakGoal} (median of ${runs}; exit ${exits})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  void cliBench(sizes.length ? sizes : undefined);
}
