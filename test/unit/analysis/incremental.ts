// Shared by the incremental tests: what "the same analysis" means, and a tree to edit.
import { strict as assert } from 'node:assert';
import { analyzeFile, type Snapshot, type DocumentAnalyzer } from '../../../analysis';
import { ANY_FILE, YAML_FILE } from './fixture';

/** The plain data of the model that language features read (positions included). */
export function modelData(analysis: Snapshot) {
  const { model } = analysis;
  return {
    shape: model.shape,
    version: model.version,
    description: model.description,
    executors: model.executors,
    tasks: model.tasks.map((t) => ({ ...t, value: JSON.stringify(t.value) })),
  };
}

/** Feeds `text` to the analyzer and asserts it agrees exactly with a fresh analysis of the text. */
export function step(analyzer: DocumentAnalyzer, text: string, what: string, fileName = YAML_FILE): Snapshot {
  const incremental = analyzer.update(text);
  const fresh = analyzeFile(text, fileName, ANY_FILE);
  assert.deepEqual(incremental.diagnostics, fresh.diagnostics, `diagnostics after ${what}`);
  assert.deepEqual(modelData(incremental), modelData(fresh), `model after ${what}`);
  return incremental;
}

/** A tree of `n` tasks with a bit of everything: flow and block lists, names used as references,
 *  comments, unicode, schedules, a declared executor, and a few mistakes. */
export function bigTree(n = 50): string {
  const out = [
    '# A generated tree for the incremental tests',
    'version: 1',
    'description: "Incremental 🧪 tree"',
    'executors:',
    '  normalize:',
    '    module: ./normalize.mjs',
    '    input_schema: { type: object, required: [rows], properties: { rows: { type: array } } }',
    'tasks:',
    '  - id: root',
    '    name: Root',
    '    schemas: { method: aggregate_results_executor }',
    `    dependencies: [${Array.from({ length: Math.min(n - 1, 8) }, (_, i) => `t${i + 1}`).join(', ')}]`,
  ];
  for (let i = 1; i < n; i++) {
    const kind = i % 7;
    out.push(`  - id: t${i}`);
    out.push(`    name: "Task ${i}${i % 5 === 0 ? ' 数据 😀' : ''}"`);
    out.push(`    parent_id: ${i % 9 === 0 ? `"Task ${i - 1}"` : 'root'}`);
    if (kind === 0) {
      out.push('    schemas: { method: command_executor }');
      out.push(`    inputs: { command: "echo ${i}" }`);
    } else if (kind === 1) {
      out.push('    schemas:');
      out.push('      method: system_info_executor');
      out.push('    inputs:');
      out.push('      resource: cpu');
    } else if (kind === 2) {
      out.push('    params: { executor_id: normalize }');
      out.push('    inputs: { rows: [] }');
      out.push('    # results feed the next step');
    } else if (kind === 3) {
      out.push('    schemas: { method: rest_executor }');
      out.push('    inputs: { url: "https://example.com" }');
      out.push('    priority: 1');
    } else if (kind === 4) {
      out.push('    schemas: { method: system_info_executor }');
      out.push('    schedule_type: weekly');
      out.push('    schedule_expression: "1,3 09:30"');
    } else if (kind === 5) {
      out.push('    schemas: { method: send_email_executor }');
      out.push('    inputs: { to: "a@b.c", subject: "Hi" }');
    } else {
      out.push('    schemas: { method: system_info_executor }');
      out.push('    status: done');
    }
    if (i > 8 && i % 3 === 0) {
      out.push('    dependencies:');
      out.push(`      - t${i - 1}`);
      out.push(`      - { name: "Task ${i - 2}", required: ${i % 2 === 0} }`);
    } else if (i > 8 && i % 3 === 1) {
      out.push(`    dependencies: [t${i - 1}]`);
    }
  }
  return `${out.join('\n')}\n`;
}
