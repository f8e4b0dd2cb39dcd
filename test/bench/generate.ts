// Generates realistic, clean task trees of any size for the benchmarks: a root that aggregates
// groups, each group an aggregate over its members, members depending on up to three earlier
// members of their group. About eight lines per task.

import { writeFileSync } from 'node:fs';
import { random } from '../fixtures/random';

export interface GeneratedTree {
  text: string;
  /** Ids in file order. */
  ids: string[];
}

const GROUP = 50;

export function generateTree(tasks: number, seed = 1): GeneratedTree {
  const rnd = random(seed);
  const lines: string[] = ['version: 1', `description: Generated tree of ${tasks} tasks`, 'tasks:'];
  const ids: string[] = [];
  const groups = Math.max(1, Math.ceil((tasks - 1) / (GROUP + 1)));
  const members: string[][] = Array.from({ length: groups }, () => []);
  // Decide membership first so that aggregates can list their children.
  let remaining = tasks - 1 - groups;
  for (let g = 0; remaining > 0; g = (g + 1) % groups, remaining--) members[g].push(`t${g}_${members[g].length}`);
  const emit = (id: string, parent: string | null, method: string, inputs: string, deps: string[], priority: number) => {
    ids.push(id);
    lines.push(`  - id: ${id}`);
    lines.push(`    name: Task ${id}`);
    if (parent) lines.push(`    parent_id: ${parent}`);
    lines.push(`    priority: ${priority}`);
    lines.push(`    schemas: { method: ${method} }`);
    lines.push(`    inputs: ${inputs}`);
    if (deps.length) lines.push(`    dependencies: [${deps.join(', ')}]`);
  };
  const groupIds = members.map((_, g) => `g${g}`);
  emit('root', null, 'aggregate_results_executor', '{ label: root }', tasks > 1 ? groupIds : [], 2);
  members.forEach((list, g) => {
    emit(groupIds[g], 'root', 'aggregate_results_executor', `{ label: group ${g} }`, list, 2);
    list.forEach((id, k) => {
      const deps = new Set<string>();
      const count = Math.floor(rnd() * 4);
      for (let d = 0; d < count && k > 0; d++) deps.add(list[Math.floor(rnd() * k)]);
      emit(id, groupIds[g], 'command_executor', `{ command: "echo ${id}", timeout: ${1 + Math.floor(rnd() * 30)} }`, [...deps], 1 + Math.floor(rnd() * 3));
    });
  });
  return { text: `${lines.join('\n')}\n`, ids };
}

/**
 * The tree with one reference that resolves to nothing, in its first task: what a user sees while
 * fixing a tree (a squiggle on the first screen, whose message suggests the nearest names).
 */
export function withBrokenReference(text: string): string {
  return text.replace('dependencies: [g0', 'dependencies: [g_missing, g0');
}

// `node -r esbuild-register test/bench/generate.ts TASKS FILE [--broken-reference]`: writes a tree (for
// scripts/bench-editor.mjs).
if (require.main === module) {
  const [tasks, file, option] = process.argv.slice(2);
  const { text } = generateTree(Number(tasks));
  writeFileSync(file, option === '--broken-reference' ? withBrokenReference(text) : text);
}
