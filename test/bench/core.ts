// Benchmark of the analysis core (issue 2): first analysis, incremental re-analysis after edits, and
// memory, on generated trees. It checks that the incremental result equals a fresh analysis.
import { deepStrictEqual } from 'node:assert';
import { analyzeFile, DocumentAnalyzer, type Analysis } from '../../analysis';
import type { AnalysisEnv } from '../../analysis/types';
import { random } from '../fixtures/random';
import { generateTree } from './generate';
import { mib, settledHeap, summary, time } from './stats';

const env: AnalysisEnv = { fileExists: () => true };
const FILE = '/bench/tree.apflow.yaml';

/** Offset of a character inside a task's `command` input: a one-character edit there changes no graph. */
function commandDigit(text: string, id: string): number {
  const at = text.indexOf(`command: "echo ${id}"`);
  return at + 'command: "echo '.length + id.length - 1;
}

function newTask(k: number): string {
  return `  - id: added_${k}\n    name: Added ${k}\n    parent_id: g0\n    schemas: { method: command_executor }\n    inputs: { command: "echo added" }\n`;
}

function assertSameAsFresh(analysis: Analysis, text: string): void {
  deepStrictEqual(analysis.diagnostics, analyzeFile(text, FILE, env).diagnostics, 'incremental analysis differs from a fresh one');
}

export async function coreBench(sizes = [100, 1000, 10000, 50000]): Promise<void> {
  console.log('\n== analysis core (issue 2) ==');
  for (const size of sizes) {
    const { text: original, ids } = generateTree(size);
    const rnd = random(size);
    const members = ids.filter((id) => id.startsWith('t'));
    const firstRuns = size >= 50000 ? 1 : 3;
    const first: number[] = [];
    let analyzer = new DocumentAnalyzer(FILE, env);
    for (let i = 0; i < firstRuns; i++) {
      analyzer = new DocumentAnalyzer(FILE, env);
      first.push(time(() => analyzer.update(original))[1]);
    }

    // (b) one-character edits inside one task, alternating so the text returns to the original.
    let text = original;
    const edits: number[] = [];
    const editCount = size >= 50000 ? 60 : 200;
    const heapBefore = settledHeap();
    for (let i = 0; i < editCount; i++) {
      const id = members[Math.floor(rnd() * members.length)];
      const at = commandDigit(text, id);
      const replacement = text[at] === 'X' ? id[id.length - 1] : 'X';
      text = text.slice(0, at) + replacement + text.slice(at + 1);
      edits.push(time(() => analyzer.update(text))[1]);
    }
    const heapAfter = settledHeap();
    assertSameAsFresh(analyzer.update(text), text);

    // (c) adding and deleting a task (changes the graph).
    const structural: number[] = [];
    const structuralCount = size >= 50000 ? 10 : 40;
    for (let k = 0; k < structuralCount; k++) {
      const anchor = text.indexOf(`  - id: ${members[Math.floor(rnd() * members.length)]}\n`);
      const added = text.slice(0, anchor) + newTask(k) + text.slice(anchor);
      structural.push(time(() => analyzer.update(added))[1]);
      structural.push(time(() => analyzer.update(text))[1]);
    }
    assertSameAsFresh(analyzer.update(text), text);

    console.log(`${size} tasks (${mib(original.length)} of text)`);
    console.log(`  (a) first analysis:            ${summary(first)}`);
    console.log(`  (b) one-character edit:        ${summary(edits)}`);
    console.log(`  (c) add or delete a task:      ${summary(structural)}`);
    console.log(`  (d) heap: ${mib(heapBefore)} with the document analysed; ${mib(heapAfter - heapBefore)} growth over ${editCount} edits`);
    console.log('  incremental = fresh analysis:  yes');
  }
}

if (require.main === module) void coreBench();
