// apflow/pythonEnvironment over real JSON-RPC (issue 12): once the client says apflow in the workspace's
// Python offers an executor, the server's remote-executor message says it runs locally there.
import assert from 'node:assert/strict';
import { PythonEnvironmentNotification } from '../../protocol';
import { LspClient } from './lsp-client';
import { Workspace } from './fixtures';

describe('language server: the workspace Python environment', function () {
  let client: LspClient;
  let ws: Workspace;
  before(async () => {
    ws = new Workspace();
    client = await LspClient.start({ settings: { apflow: {} } });
  });
  after(async () => {
    await client.stop();
    ws.remove();
  });

  it('rewords remote-executor for executors apflow runs locally, and only for those', async () => {
    const uri = ws.uri('llm.apflow.yaml');
    const text = 'tasks:\n  - id: ask\n    name: Ask\n    schemas: { method: llm_executor }\n    inputs: { messages: [] }\n    dependencies: [mail]\n  - id: mail\n    name: Mail\n    parent_id: ask\n    schemas: { method: ssh_executor }\n    inputs: { host: h, username: u, command: c }\n';
    await client.open(uri, text);
    const before = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 2);
    assert.ok(before.diagnostics.every((d) => /needs an apflow server/.test(String(d.message))));
    await client.connection.sendNotification(PythonEnvironmentNotification, { interpreter: '/ws/.venv/bin/python', apflow: '0.18.1', executors: ['llm_executor'] });
    const after = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => String(d.message).includes('runs locally')));
    assert.deepEqual(
      after.diagnostics.map((d) => String(d.message)),
      ['`llm_executor` runs locally with apflow 0.18.1 in /ws/.venv/bin/python: the embedded runtime hands it to apflow there', before.diagnostics[1].message],
    );
  });
});
