// What `apflow-yaml test` ran, as every output format reads it: per file, its cases (or the problems
// that kept them from running) and the tree's coverage, with paths as the user should read them.
import { basename } from 'node:path';
import type { CaseResult, Coverage, FileProblem, TestFileReport } from '../../../runtime';
import { displayPath } from '../../commands/validate';

export interface CaseOutcome {
  name: string;
  index: number;
  passed: boolean;
  durationMs: number;
  /** Failures, each with `where` = `path:line:column` (1-based, as editors and CI read it). */
  failures: {
    message: string;
    where: string;
    line: number;
    character: number;
  }[];
}

export interface FileOutcome {
  /** The test file as printed. */
  path: string;
  tree: string | null;
  /** Why no case of the file ran (each with `where`, in the test file or its tree). */
  problems: { message: string; where: string }[];
  cases: CaseOutcome[];
  coverage: Coverage | null;
  /** The case names of a file whose problems kept them from running, so that reports still list them. */
  notRun: string[];
}

export interface TestSummary {
  files: FileOutcome[];
  passed: number;
  failed: number;
  /** Files with problems (their cases count as failed). */
  broken: number;
  durationMs: number;
}

export function summarize(reports: readonly TestFileReport[], cwd: string, durationMs: number): TestSummary {
  const files = reports.map((r): FileOutcome => {
    const path = displayPath(cwd, r.testFile);
    return {
      path,
      tree: r.treeFile === null ? null : displayPath(cwd, r.treeFile),
      problems: r.problems.map((p) => ({
        message: p.message,
        where: where(displayPath(cwd, p.file), p),
      })),
      cases: r.cases.map((c) => caseOutcome(c, path)),
      coverage: r.coverage,
      notRun: r.problems.length > 0 ? r.declared.map((c) => c.name) : [],
    };
  });
  const cases = files.flatMap((f) => f.cases);
  const passed = cases.filter((c) => c.passed).length;
  const broken = files.filter((f) => f.problems.length > 0).length;
  return {
    files,
    passed,
    failed: cases.length - passed + files.reduce((n, f) => n + f.notRun.length, 0),
    broken,
    durationMs,
  };
}

function caseOutcome(c: CaseResult, path: string): CaseOutcome {
  return {
    name: c.case.name,
    index: c.case.index,
    passed: c.failures.length === 0,
    durationMs: c.durationMs,
    failures: c.failures.map((f) => ({
      message: f.message,
      where: where(path, f),
      line: f.range.start.line,
      character: f.range.start.character,
    })),
  };
}

function where(path: string, at: Pick<FileProblem, 'range'>): string {
  return `${path}:${at.range.start.line + 1}:${at.range.start.character + 1}`;
}

/** The suite name of a test file in JUnit and TAP: its name without the folder. */
export const suiteName = (file: FileOutcome) => basename(file.path);
