// Which Python the extension's runs use (issue 12): the setting `apflow.python.interpreter`, else a venv in
// the workspace folder (the runtime looks), else the interpreter the Python extension selected for the
// folder (asked through its API when it is installed), else python3 on PATH (the runtime's default).
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { PythonEnvironmentParams } from '../protocol';
import type { RunService } from './runs';

export interface PythonChoice {
  interpreter?: string;
  selected?: string;
  workspaceDir?: string;
  /** Registered Python executors are looked for in the workspace folder, as the language server does. */
  discoverIn?: string;
}

/** The part of ms-python.python's API used here (its `environments` API). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
  };
}

export async function pythonChoice(document: vscode.TextDocument): Promise<PythonChoice> {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const setting = vscode.workspace.getConfiguration('apflow', document.uri).get<string>('python.interpreter', '').trim();
  return { interpreter: setting || undefined, selected: await selectedByPythonExtension(folder?.uri ?? document.uri), workspaceDir: folder?.uri.fsPath, discoverIn: folder?.uri.fsPath };
}

async function selectedByPythonExtension(resource: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const path = api.environments?.getActiveEnvironmentPath(resource)?.path;
    // The extension answers "python" when nothing is selected: the runtime's own default is as good.
    return path && path !== 'python' ? path : undefined;
  } catch {
    return undefined; // An API that changed or failed: fall back to the runtime's choice.
  }
}

/** Where the probe's finding goes: the language server (PythonEnvironmentNotification). */
export type ProbeSender = (params: PythonEnvironmentParams) => void;

/**
 * Probes the Python of each apflow document's folder once (after the editor has settled, and only in a
 * trusted workspace: probing runs that interpreter) and tells the language server what apflow offers there.
 */
export function registerPythonProbe(runs: RunService, send: ProbeSender): vscode.Disposable[] {
  const probed = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const probe = async (document: vscode.TextDocument) => {
    if (document.languageId !== 'apflow' || document.uri.scheme !== 'file' || !vscode.workspace.isTrusted) return;
    const choice = await pythonChoice(document);
    const key = JSON.stringify([choice, dirname(document.uri.fsPath)]);
    if (probed.has(key)) return;
    probed.add(key);
    const found = await runs.probePython(choice, dirname(document.uri.fsPath));
    if (found && found.executors.length > 0) send(found);
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    // Not on the activation path: the probe starts Python and loads the runtime's bundle.
    timer = setTimeout(() => vscode.workspace.textDocuments.forEach((d) => void probe(d).catch(() => undefined)), PROBE_DELAY_MS);
  };
  soon();
  return [
    vscode.workspace.onDidOpenTextDocument(soon),
    vscode.workspace.onDidGrantWorkspaceTrust(soon),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('apflow.python.interpreter') && soon()),
    { dispose: () => timer && clearTimeout(timer) },
  ];
}

const PROBE_DELAY_MS = 2000;
