// The editor's Python probe (issue 12) as its own small bundle (dist/python-probe.js, see esbuild.mjs):
// which Python a tree's runs would use, and what apflow offers there. The probe runs a couple of
// seconds after a tree opens; with its own bundle, opening a tree never loads the runtime (issue 9).
// Nothing here imports `vscode`.
import type { PythonEnvironmentParams } from '../protocol';
import type { PythonRequest } from '../runtime';
import { probeInterpreter, resolveInterpreter } from '../runtime/python/interpreter';

export interface PythonProbeHost {
  /** `host.py --probe` in the interpreter runs would use for a tree in `treeDir`; null when it cannot run. */
  probePython(choice: PythonRequest, treeDir: string): Promise<PythonEnvironmentParams | null>;
}

export const pythonProbeHost: PythonProbeHost = {
  async probePython(choice, treeDir) {
    const folders = choice.workspaceDir ? [choice.workspaceDir, treeDir] : [treeDir];
    const { path } = resolveInterpreter({ explicit: choice.interpreter, folders, selected: choice.selected });
    const probe = await probeInterpreter(path);
    return probe instanceof Error ? null : { interpreter: path, apflow: probe.apflow, executors: probe.executors };
  },
};
