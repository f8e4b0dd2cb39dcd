// Which Python runs a workspace's Python tasks (issue 12), in this order: the setting
// `apflow.python.interpreter` (the CLI's --python), a `.venv` or `venv` in the workspace folder (or the
// tree's folder), the interpreter the Python extension selected, `python3` on PATH.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { hostScriptPath } from './host-process';
import type { ProbeResult } from './messages';

export interface InterpreterChoice {
  /** The setting or --python: wins over everything. */
  explicit?: string;
  /** Folders searched for `.venv` / `venv`, first match wins. */
  folders: string[];
  /** What ms-python.python selected for the workspace, when the extension is installed. */
  selected?: string;
}

export interface Interpreter {
  path: string;
  source: 'setting' | 'venv' | 'python-extension' | 'path';
}

const VENV_PYTHON = process.platform === 'win32' ? ['Scripts', 'python.exe'] : ['bin', 'python'];

export function resolveInterpreter(choice: InterpreterChoice): Interpreter {
  if (choice.explicit) return { path: choice.explicit, source: 'setting' };
  for (const folder of choice.folders) {
    for (const venv of ['.venv', 'venv']) {
      const path = join(folder, venv, ...VENV_PYTHON);
      if (existsSync(path)) return { path, source: 'venv' };
    }
  }
  if (choice.selected) return { path: choice.selected, source: 'python-extension' };
  return { path: process.platform === 'win32' ? 'python' : 'python3', source: 'path' };
}

const probes = new Map<string, Promise<ProbeResult | Error>>();

/** `host.py --probe` in that interpreter, once per interpreter per process; an Error says why it failed. */
export function probeInterpreter(interpreter: string, env: NodeJS.ProcessEnv = process.env): Promise<ProbeResult | Error> {
  let probe = probes.get(interpreter);
  if (!probe) {
    probe = new Promise((resolve) => {
      execFile(interpreter, [hostScriptPath(), '--probe'], { env, timeout: 30_000, windowsHide: true }, (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          resolve(new Error(missing ? `${interpreter} not found` : `${interpreter} --probe failed: ${(stderr || error.message).trim().split('\n').pop()}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as ProbeResult);
        } catch {
          resolve(new Error(`${interpreter} --probe printed something unreadable`));
        }
      });
    });
    probes.set(interpreter, probe);
  }
  return probe;
}
