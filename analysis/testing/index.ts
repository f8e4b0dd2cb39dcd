// Tree tests (docs/tree-tests.md): the test-file model and its checks against the tree, for the
// runner (runtime/testing), the CLI and the language server.
export {
  isTestFile,
  parseTestFile,
  TEST_FILE_PATTERN,
  type Expectation,
  type ExpectationKind,
  type Located,
  type MockSpec,
  type TestCase,
  type TestFile,
  type TestRef,
} from './model';
export { referenceDiagnostics, treeIds, type TreeIds } from './references';
export { refAt, testCompletion, testDefinition, testFileDiagnostics, testHover, type TreeView } from './features';
