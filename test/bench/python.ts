// Static discovery of Python executors (issue 12): a workspace of 1,000 Python files (plus a virtual
// environment that must be skipped), discovered in process and by the language server; one changed
// file read again; the server's memory with and without that workspace. Prints figures; asserts nothing.
//   node --expose-gc -r esbuild-register test/bench/python.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PythonParser, PythonWorkspace } from '../../analysis/python/node';
import { fileUriOf, LspClient } from '../lsp/lsp-client';
import { mib, summary } from './stats';

const FILES = 1000;

/** A module as the guide writes them: a registered class with docstring and schema, a helper, a plain class. */
function pythonModule(n: number, id = `exec_${n}`): string {
  return `"""Executors of domain ${n % 50}."""
import asyncio
from typing import Any, Dict

from apflow import BaseTask, executor_register


def _helper_${n}(value: str) -> str:
    """Normalises a value."""
    return value.strip().lower()


@executor_register()
class Executor${n}(BaseTask):
    """
    Does step ${n} of the pipeline.

    Args (inputs):
        url (str): Where to read from
        retries (int): How often to retry (default: 3)
    """

    id = "${id}"
    name = "Executor ${n}"
    description = "Does step ${n} of the pipeline"
    inputs_schema = {
        "type": "object",
        "properties": {
            "url": {"type": "string", "description": "Where to read from"},
            "retries": {"type": "integer", "default": 3},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["url"],
    }

    async def execute(self, inputs: Dict[str, Any]) -> Dict[str, Any]:
        await asyncio.sleep(0)
        return {"url": _helper_${n}(inputs["url"]), "step": ${n}}


class Plain${n}:
    def execute(self, inputs):
        return {"n": ${n}, **inputs}
`;
}

function generateWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apflow-bench-python-'));
  for (let n = 0; n < FILES; n++) {
    const folder = join(dir, 'my_project', 'executors', `domain_${n % 50}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `step_${n}.py`), pythonModule(n));
  }
  // A virtual environment's files are not the workspace's: discovery skips them.
  const venv = join(dir, '.venv', 'lib', 'python3.12', 'site-packages', 'pkg');
  mkdirSync(venv, { recursive: true });
  for (let n = 0; n < 500; n++) writeFileSync(join(venv, `m${n}.py`), pythonModule(n, `venv_${n}`));
  writeFileSync(join(dir, 'flow.apflow.yaml'), 'tasks:\n  - id: root\n    name: Root\n    schemas: { method: exec_999 }\n    inputs: { url: "http://127.0.0.1/" }\n');
  return dir;
}

async function inProcess(dir: string): Promise<void> {
  const loadStart = performance.now();
  const parser = await PythonParser.load();
  const load = performance.now() - loadStart;
  const runs: number[] = [];
  const cpu: number[] = [];
  let workspace = new PythonWorkspace(() => Promise.resolve(parser));
  for (let i = 0; i < 5; i++) {
    workspace = new PythonWorkspace(() => Promise.resolve(parser));
    const start = performance.now();
    const used = process.cpuUsage();
    await workspace.discover(dir);
    runs.push(performance.now() - start);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  console.log(`  parser load (once per process): ${load.toFixed(1)} ms`);
  // The machine is shared: CPU time tells the work apart from the waiting.
  console.log(`  discovery of ${FILES} files (${workspace.executors().size} executors registered): wall ${summary(runs)}; CPU ${summary(cpu)}`);
  const changed: number[] = [];
  for (let i = 0; i < 50; i++) {
    const file = join(dir, 'my_project', 'executors', 'domain_7', 'step_7.py');
    writeFileSync(file, pythonModule(7, i % 2 ? 'exec_7' : 'exec_7_renamed'));
    const start = performance.now();
    workspace.changed(file);
    workspace.executors();
    changed.push(performance.now() - start);
  }
  console.log(`  one changed file read again (registry rebuilt): ${summary(changed)}`);
}

/**
 * A server with the workspace open and its tree analysed: this build once the tree's executor is
 * known, or `baseServer` (a build from before discovery, for the memory comparison) once it answered.
 */
async function serverFigures(dir: string, baseServer?: string): Promise<{ discovered: number; changed: number[]; rss: number; heapUsed: number }> {
  const start = performance.now();
  const client = await LspClient.start({ workspaceFolders: [dir], nodeArgs: ['--expose-gc'], ...(baseServer ? { command: [baseServer, '--stdio'] } : {}) });
  try {
    const uri = fileUriOf(join(dir, 'flow.apflow.yaml'));
    await client.open(uri, 'tasks:\n  - id: root\n    name: Root\n    schemas: { method: exec_999 }\n    inputs: { url: "http://127.0.0.1/" }\n');
    await client.waitForDiagnostics(uri, (p) => baseServer !== undefined || p.diagnostics.length === 0, 60000);
    const discovered = performance.now() - start;
    // One Python file changed on disk → the file event → the tree's diagnostics published again.
    const changed: number[] = [];
    const file = join(dir, 'my_project', 'executors', 'domain_49', 'step_999.py');
    for (let i = 0; !baseServer && i < 20; i++) {
      const renamed = i % 2 === 0;
      writeFileSync(file, pythonModule(999, renamed ? 'exec_999_renamed' : 'exec_999'));
      const at = performance.now();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUriOf(file), type: 2 }] });
      await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unknown-executor') === renamed, 60000);
      changed.push(performance.now() - at);
    }
    const status = await client.request<{ rss: number; heapUsed: number }>('apflow/serverStatus', { collectGarbage: true });
    return { discovered, changed, rss: status.rss, heapUsed: status.heapUsed };
  } finally {
    await client.stop();
  }
}

export async function pythonBench(): Promise<void> {
  console.log(`Python discovery (issue 12); load average ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores`);
  const dir = generateWorkspace();
  try {
    await inProcess(dir);
    const withWorkspace = await serverFigures(dir);
    console.log(`  language server: start → the tree's executor known (discovery end to end): ${withWorkspace.discovered.toFixed(0)} ms`);
    console.log(`  language server: a Python file changed on disk → the tree's diagnostics again: ${summary(withWorkspace.changed)}`);
    console.log(`  server memory with ${FILES} Python files discovered: RSS ${mib(withWorkspace.rss)}, heap ${mib(withWorkspace.heapUsed)}`);
    // APFLOW_BASE_SERVER: a dist/server.js built from before discovery (e.g. from \`git archive\` of an older commit).
    const base = process.env.APFLOW_BASE_SERVER;
    if (base) {
      const before = await serverFigures(dir, base);
      console.log(`  the same workspace on ${base}: RSS ${mib(before.rss)}, heap ${mib(before.heapUsed)} → discovery adds RSS ${mib(withWorkspace.rss - before.rss)}, heap ${mib(withWorkspace.heapUsed - before.heapUsed)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  pythonBench().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
