// The task lenses are computed once per analysed version and per change of what they show (run
// status, trust, settings), never per request: over JSON-RPC that is invisible, so it is checked here
// on the server's own module with a real analysis.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer } from '../../../analysis';
import type { Current } from '../../../server/documents';
import { taskLenses } from '../../../server/lenses';
import { RunStatusStore } from '../../../server/run-status';
import { DEFAULT_SETTINGS } from '../../../server/settings';

const URI = 'file:///work/tree.apflow.yaml';
const TEXT = 'tasks:\n  - id: a\n    schemas: { method: command_executor }\n  - id: b\n    dependencies: [a]\n    schemas: { method: command_executor }\n';

/** What DocumentCache.current() hands a handler: one analysed version and its memo. */
function current(analyzer: DocumentAnalyzer, text: string, version: number): Current {
  const memo = new Map<string, unknown>();
  return {
    uri: URI,
    document: TextDocument.create(URI, 'apflow', version, text),
    snapshot: analyzer.update(text, version),
    memo: <T>(key: string, compute: () => T): T => {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
}

describe('server: task lenses', () => {
  it('are computed once per version, again when the run status, trust or settings change', () => {
    const analyzer = new DocumentAnalyzer('/work/tree.apflow.yaml', { fileExists: () => false });
    const runs = new RunStatusStore();
    runs.setCapability({ trusted: true });
    const v1 = current(analyzer, TEXT, 1);
    const first = taskLenses(v1, DEFAULT_SETTINGS, runs);
    assert.equal(first.filter((l) => l.command?.title === '▶ Run task').length, 2);
    assert.equal(taskLenses(v1, DEFAULT_SETTINGS, runs), first, 'the same version: the same list');

    runs.update({ uri: URI, runId: 'r', running: false, tasks: [{ id: 'b', name: 'b', status: 'failed', title: '✗ failed' }] });
    const withStatus = taskLenses(v1, DEFAULT_SETTINGS, runs);
    assert.notEqual(withStatus, first);
    assert.deepEqual(withStatus.map((l) => l.command?.title ?? 'deps'), ['▶ Run task', 'deps', '▶ Run task', '✗ failed', 'deps']);
    assert.equal(taskLenses(v1, DEFAULT_SETTINGS, runs), withStatus);

    const limited = taskLenses(v1, { ...DEFAULT_SETTINGS, perTaskLimit: 1 }, runs);
    assert.deepEqual(limited.map((l) => l.command?.title), ['✗ failed']);
    runs.update({ uri: URI, runId: 'r2', running: true, tasks: [{ id: 'b', name: 'b', status: 'in_progress', title: 'running' }] });
    assert.deepEqual(taskLenses(v1, { ...DEFAULT_SETTINGS, perTaskLimit: 1 }, runs), [], 'above the limit, no status lens while the run goes');
    runs.update({ uri: URI, runId: 'r', running: false, tasks: [{ id: 'b', name: 'b', status: 'failed', title: '✗ failed' }] });

    runs.setTrusted({ trusted: false });
    assert.deepEqual(taskLenses(v1, DEFAULT_SETTINGS, runs).map((l) => l.command?.title ?? 'deps'), ['deps', 'deps']);
    runs.setTrusted({ trusted: true });

    const v2 = current(analyzer, TEXT.replace('id: a', 'id: a2').replace('[a]', '[a2]'), 2);
    const second = taskLenses(v2, DEFAULT_SETTINGS, runs);
    assert.notEqual(second, withStatus, 'a new version: a new list');
    assert.deepEqual(second.map((l) => l.command?.arguments?.[1] ?? l.command?.title ?? 'deps'), ['a2', 'deps', 'b', '✗ failed', 'deps']);
  });
});

describe('server: the ▶ Run task lens of a server-only executor', () => {
  it('says that the task needs apflow (an apflow server, or apflow in the workspace Python)', () => {
    const analyzer = new DocumentAnalyzer('/work/tree.apflow.yaml', { fileExists: () => false });
    const runs = new RunStatusStore();
    runs.setCapability({ trusted: true });
    const text = 'tasks:\n  - id: ask\n    name: Ask\n    schemas: { method: llm_executor }\n  - id: list\n    name: List\n    schemas: { method: command_executor }\n';
    const lenses = taskLenses(current(analyzer, text, 1), DEFAULT_SETTINGS, runs).filter((l) => l.command);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['▶ Run task (needs apflow)', '▶ Run task']);
    assert.match(lenses[0].command?.tooltip ?? '', /needs an apflow server, or apflow installed in the workspace's Python/);
  });
});
