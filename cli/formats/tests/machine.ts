// `apflow-yaml test --format json|junit|tap`: the results for CI and other programs.
import type { FileOutcome, TestSummary } from './results';
import { suiteName } from './results';

/** `--format json` (= `--json`): a contract — extend it, never rename. */
export function jsonTestReport(summary: TestSummary): string {
  const doc = {
    files: summary.files.map((f) => ({
      path: f.path,
      tree: f.tree,
      problems: f.problems,
      not_run: f.notRun,
      cases: f.cases.map((c) => ({
        name: c.name,
        index: c.index,
        passed: c.passed,
        duration_ms: c.durationMs,
        failures: c.failures.map((x) => ({
          message: x.message,
          where: x.where,
        })),
      })),
      coverage: f.coverage && {
        tasks: f.coverage.tasks.map((t) => ({
          task: t.task,
          ran: t.ran,
          range: t.range,
        })),
        edges: f.coverage.edges.map((e) => ({
          from: e.from,
          to: e.to,
          required: e.required,
          failed_upstream: e.failedUpstream,
          range: e.range,
        })),
      },
    })),
    passed: summary.passed,
    failed: summary.failed,
    duration_ms: summary.durationMs,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** JUnit XML as CI servers read it: a testsuite per test file, a testcase per case. */
export function junitTestReport(summary: TestSummary): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const totals = { tests: 0, failures: 0, errors: 0 };
  const suites = summary.files.map((file) => {
    const cases = file.cases.map((c) => {
      const body = c.passed
        ? ''
        : `${c.failures.map((f) => `\n      <failure message="${xml(f.message)}">${xml(`${f.where}: ${f.message}`)}</failure>`).join('')}\n    `;
      return `    <testcase name="${xml(c.name)}" classname="${xml(file.path)}" time="${seconds(c.durationMs)}">${body}</testcase>`;
    });
    // Cases a broken file kept from running are errors, each with the file's problems.
    const problems = xml(file.problems.map((p) => `${p.where}: ${p.message}`).join('\n'));
    const errored = notRunNames(file).map(
      (name) =>
        `    <testcase name="${xml(name)}" classname="${xml(file.path)}" time="0.000">\n      <error message="${xml(file.problems[0]?.message ?? '')}">${problems}</error>\n    </testcase>`,
    );
    const counts = {
      tests: cases.length + errored.length,
      failures: file.cases.filter((c) => !c.passed).length,
      errors: errored.length,
    };
    totals.tests += counts.tests;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    const time = seconds(file.cases.reduce((n, c) => n + c.durationMs, 0));
    return `  <testsuite name="${xml(suiteName(file))}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" time="${time}">\n${[...cases, ...errored].join('\n')}\n  </testsuite>`;
  });
  const head = `<testsuites name="apflow-yaml test" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${seconds(summary.durationMs)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join('\n')}\n</testsuites>\n`;
}

/** TAP 13: one test point per case (and one per case a broken file kept from running). */
export function tapTestReport(summary: TestSummary): string {
  const lines = ['TAP version 13'];
  let n = 0;
  for (const file of summary.files) {
    for (const c of file.cases) {
      lines.push(`${c.passed ? 'ok' : 'not ok'} ${++n} - ${tapText(`${file.path} > ${c.name}`)}`);
      if (!c.passed) lines.push(...yamlBlock(c.failures.map((f) => `${f.where}: ${f.message}`)));
    }
    for (const name of notRunNames(file)) {
      lines.push(`not ok ${++n} - ${tapText(`${file.path} > ${name}`)}`);
      lines.push(...yamlBlock(file.problems.map((p) => `${p.where}: ${p.message}`)));
    }
  }
  lines.splice(1, 0, `1..${n}`);
  return `${lines.join('\n')}\n`;
}

function notRunNames(file: FileOutcome): string[] {
  return file.notRun.length ? file.notRun : file.problems.length ? [suiteName(file)] : [];
}

function yamlBlock(messages: string[]): string[] {
  return ['  ---', '  message: |-', ...messages.map((m) => `    ${m.replace(/\n/g, '\n    ')}`), '  ...'];
}

/** A TAP description ends at `#` (a directive) and at the line's end. */
function tapText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')
    .replace(/[\r\n]+/g, ' ');
}

/** Text for an XML attribute or element: the five special characters escaped, and characters XML 1.0 forbids dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
