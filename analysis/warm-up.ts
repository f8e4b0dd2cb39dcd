// Runs the analysis once on a small synthetic tree so that V8 has compiled and optimised the parser,
// the schema validators and the checks before the user's first file arrives: a host calls it while
// idle after start-up. It roughly halves the time to the first diagnostics of a 1,000-task file.
import { analyzeFile } from './index';

const TASKS = 120;

function sampleTree(): string {
  const lines = ['version: 1', 'description: warm-up', 'tasks:', '  - id: root', '    name: Root', '    schemas: { method: aggregate_results_executor }'];
  lines.push(`    dependencies: [${Array.from({ length: TASKS }, (_, i) => `t${i}`).join(', ')}]`);
  for (let i = 0; i < TASKS; i++) {
    lines.push(`  - id: t${i}`, `    name: Task ${i}`, '    parent_id: root', `    priority: ${i % 4}`);
    lines.push(i % 2 ? '    schemas: { method: command_executor }' : '    schemas:\n      method: system_info_executor');
    lines.push(i % 2 ? `    inputs: { command: "echo ${i}", timeout: 5 }` : '    inputs:\n      resource: cpu');
    if (i > 1) lines.push(i % 3 ? `    dependencies: [t${i - 1}, t${i - 2}]` : `    dependencies:\n      - t${i - 1}\n      - { id: t${i - 2}, required: false }`);
  }
  return `${lines.join('\n')}\n`;
}

export function warmUp(): void {
  analyzeFile(sampleTree(), '/warm-up/tree.apflow.yaml', { fileExists: () => true });
}
