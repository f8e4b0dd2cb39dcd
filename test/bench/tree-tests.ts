// Benchmark of `apflow-yaml test` (issue 14): 1,000 cases of a 20-task tree with every task mocked,
// the built CLI as a real process (target ≤ 5 s wall on this machine). Prints figures; asserts nothing.
//   node -r esbuild-register test/bench/tree-tests.ts [cases]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../lsp/lsp-client';
import { measureCli } from './cli';
import { percentile, target } from './stats';

const TASKS = 20;
const WALL_TARGET_MS = 5000;

/** A root collecting four branches of a chain each: fan-out, chains and a fan-in, like real trees. */
function tree(): string {
  const lines = [
    'tasks:',
    '  - id: t0',
    '    name: Root',
    '    schemas: { method: aggregate_results_executor }',
    `    dependencies: [t${TASKS - 4}, t${TASKS - 3}, t${TASKS - 2}, t${TASKS - 1}]`,
  ];
  for (let i = 1; i < TASKS; i++) {
    lines.push(
      `  - id: t${i}`,
      `    name: Task ${i}`,
      '    parent_id: t0',
      '    schemas: { method: command_executor }',
      `    inputs: { command: "echo ${i}" }`,
    );
    if (i > 4) lines.push(`    dependencies: [t${i - 4}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every task mocked in every case; one case in ten fails the last task, which blocks the root. */
function testFile(cases: number): string {
  const last = TASKS - 1;
  const lines = ['tree: bench.apflow.yaml', 'cases:'];
  for (let c = 0; c < cases; c++) {
    const failing = c % 10 === 0;
    lines.push(`  - name: case ${c}`, '    strict: true', '    mocks:');
    for (let i = 0; i < TASKS; i++)
      lines.push(failing && i === last ? `      t${i}: { fail: "mocked failure ${c}" }` : `      t${i}: { result: { v${i}: ${c} } }`);
    lines.push('    expect:', `      status: ${failing ? 'failed' : 'completed'}`, '      tasks:');
    lines.push(failing ? `        t0: { status: pending, blocked_by: t${last} }` : `        t${last}: { attempts: 1, inputs_subset: { v${last - 4}: ${c} } }`);
    lines.push('      order: [[t1, t5]]');
  }
  return `${lines.join('\n')}\n`;
}

export async function treeTestsBench(cases = 1000, runs = 3): Promise<void> {
  console.log(`\n== apflow-yaml test (dist/cli.js, a real process): ${cases} cases of a ${TASKS}-task tree, every task mocked ==`);
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'apflow-bench-tests-'));
  try {
    writeFileSync(join(dir, 'bench.apflow.yaml'), tree());
    const file = join(dir, 'bench.apflow.test.yaml');
    writeFileSync(file, testFile(cases));
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await measureCli(['test', file, '--format', 'json']));
    const wall = percentile(
      results.map((r) => r.wall),
      50,
    );
    const cpu = percentile(
      results.map((r) => r.cpu),
      50,
    );
    const exits = [...new Set(results.map((r) => r.exitCode))].join(', ');
    console.log(
      `  wall ${(wall / 1000).toFixed(2)} s ${target(wall, WALL_TARGET_MS, (ms) => `${(ms / 1000).toFixed(1)} s`)}, CPU ${(cpu / 1000).toFixed(2)} s (median of ${runs}; exit ${exits})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const cases = Number(process.argv[2]);
  void treeTestsBench(cases > 0 ? cases : undefined);
}
