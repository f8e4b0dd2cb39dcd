// Python executors for one run's pre-flight: declared ones (`python:` under `executors:`), those the
// workspace's files register (found statically, run through apflow's registry after importing their
// file) and, with apflow installed in the interpreter, apflow's own. The session (and its host
// process) exists only once a task needs it.
import { dirname } from 'node:path';
import type { ExecutorDecl, PythonExecutorFacts } from '../../analysis';
import type { ExecutorFn } from '../types';
import { pythonTargetOf } from './declarations';
import { probeInterpreter, resolveInterpreter, type Interpreter } from './interpreter';
import { PythonSession } from './session';

/** How the host (CLI, extension) chose Python: see interpreter.ts for the order. */
export interface PythonRequest {
  /** `apflow.python.interpreter` or the CLI's --python. */
  interpreter?: string;
  /** The interpreter the Python extension selected. */
  selected?: string;
  /** The workspace folder: searched for a venv, and on sys.path. */
  workspaceDir?: string;
  /**
   * The folder whose Python files are read for registered executors when the tree uses one it does not
   * declare: the editor passes the tree's workspace folder, the CLI the tree's project (projectRoot).
   * Default: the tree's folder.
   */
  discoverIn?: string;
}

export class PythonExecutors {
  readonly interpreter: Interpreter;
  private sessionValue: PythonSession | null = null;

  constructor(
    private readonly file: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly request: PythonRequest = {},
  ) {
    const treeDir = dirname(file);
    const folders = request.workspaceDir && request.workspaceDir !== treeDir ? [request.workspaceDir, treeDir] : [treeDir];
    this.interpreter = resolveInterpreter({ explicit: request.interpreter, folders, selected: request.selected });
  }

  get session(): PythonSession {
    return (this.sessionValue ??= new PythonSession({ interpreter: this.interpreter.path, treeDir: dirname(this.file), workspaceDir: this.request.workspaceDir, env: this.env }));
  }

  /** The executor a `python:` declaration names; null when the declaration has no `python:`. */
  declared(decl: ExecutorDecl): ExecutorFn | null {
    const target = pythonTargetOf(decl);
    return target === null ? null : this.session.executor(target);
  }

  /**
   * An executor found registered in the workspace's Python (`@executor_register()`, `@function_executor`):
   * the host imports its file, which registers it, and builds it through apflow's registry as apflow would.
   */
  registered(facts: PythonExecutorFacts): ExecutorFn {
    return this.session.executor({ registry: facts.id, file: facts.file });
  }

  /** apflow's executor `id`, when apflow in the interpreter has it (probed once per interpreter). */
  async fromApflow(id: string): Promise<ExecutorFn | null> {
    const probe = await probeInterpreter(this.interpreter.path, this.env);
    if (probe instanceof Error || !probe.executors.includes(id)) return null;
    return this.session.executor({ registry: id });
  }

  /** What the interpreter's apflow is, for refusals: a version, or why there is none. */
  async apflowStatus(): Promise<string> {
    const probe = await probeInterpreter(this.interpreter.path, this.env);
    if (probe instanceof Error) return probe.message;
    return probe.apflow === null ? `apflow is not installed in ${this.interpreter.path}` : `apflow ${probe.apflow} in ${this.interpreter.path} has no such executor`;
  }

  close(): Promise<void> {
    return this.sessionValue?.close() ?? Promise.resolve();
  }
}
