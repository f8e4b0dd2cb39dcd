// `apflow-yaml test` for people: each case with its outcome and failures, each tree's coverage, and a
// summary line.
import { plural } from '../report';
import { formatDuration } from '../../progress';
import type { FileOutcome, TestSummary } from './results';

export function textTestReport(summary: TestSummary): string {
  const lines: string[] = [];
  for (const file of summary.files) {
    lines.push(file.path);
    for (const p of file.problems) lines.push(`  ${p.where}: error: ${p.message}`);
    if (file.notRun.length > 0) lines.push(`  not run: ${file.notRun.map((n) => `'${n}'`).join(', ')} (fix the problems above)`);
    for (const c of file.cases) {
      lines.push(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.name} (${formatDuration(c.durationMs)})`);
      for (const f of c.failures) lines.push(`        ${f.where}: ${f.message}`);
    }
    lines.push(...coverageLines(file));
  }
  const files = plural(summary.files.length, 'test file');
  const broken = summary.broken > 0 ? `, ${summary.broken} with problems` : '';
  lines.push(`${summary.passed} passed, ${summary.failed} failed in ${files}${broken} (${formatDuration(summary.durationMs)})`);
  return `${lines.join('\n')}\n`;
}

function coverageLines(file: FileOutcome): string[] {
  const coverage = file.coverage;
  if (!coverage) return [];
  const ran = coverage.tasks.filter((t) => t.ran).length;
  const exercised = coverage.edges.filter((e) => e.failedUpstream).length;
  const lines = [
    `  coverage of ${file.tree}: ${ran}/${coverage.tasks.length} tasks ran, ${exercised}/${coverage.edges.length} dependencies exercised with a failure upstream`,
  ];
  const never = coverage.tasks.filter((t) => !t.ran);
  if (never.length > 0) lines.push(`    no case ran: ${never.map((t) => `${t.task} (line ${t.range.start.line + 1})`).join(', ')}`);
  const untested = coverage.edges.filter((e) => !e.failedUpstream);
  if (untested.length > 0)
    lines.push(`    no case failed upstream of: ${untested.map((e) => `${e.from} → ${e.to} (line ${e.range.start.line + 1})`).join(', ')}`);
  return lines;
}
