// Tree tests on the embedded runtime (docs/tree-tests.md): run a test file's cases with their mocks,
// check their expectations, and work out the tree's coverage.
export { runTestFile, DEFAULT_CASE_CONCURRENCY, type FileProblem, type TestFileOptions, type TestFileReport } from './run-file';
export type { CaseResult } from './run-case';
export type { Failure } from './expectations';
export type { Coverage, EdgeCoverage, TaskCoverage } from './coverage';
