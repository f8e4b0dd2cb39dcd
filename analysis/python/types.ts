// What static discovery knows about the workspace's Python code (issue 12): plain data read from the
// source text by a parser, never by importing or running it.
import type { Range } from '../types';

/** A top-level class or function of a Python file: what a `python:` declaration may name. */
export interface PythonDefinition {
  name: string;
  kind: 'class' | 'function';
  /** The range of the name after `class`/`def` (0-based lines, UTF-16 characters). */
  range: Range;
  /** A class with an `execute` method, or any function: something that can run as an executor. */
  executable: boolean;
  /** A class's `name` attribute. */
  title: string | null;
  /** A class's `description` attribute. */
  description: string | null;
  docstring: string | null;
  /** A class's inputs schema when it is a dict literal or a Pydantic model of simple fields in the same file. */
  inputSchema: Record<string, unknown> | null;
}

/** An executor registered in Python with `@executor_register()` or `@function_executor(...)`. */
export interface PythonExecutorFacts {
  id: string;
  kind: 'class' | 'function';
  /** The class's or function's name in the source. */
  symbol: string;
  /** The class attribute `name`, or the decorator's `name=`. */
  title: string | null;
  description: string | null;
  docstring: string | null;
  /** The inputs schema when it is a dict literal or a Pydantic model of simple fields in the same file. */
  inputSchema: Record<string, unknown> | null;
  /** Absolute path of the Python file. */
  file: string;
  /** The range of the class's or function's name. */
  range: Range;
}

export interface PythonFileFacts {
  file: string;
  definitions: PythonDefinition[];
  executors: PythonExecutorFacts[];
}

/**
 * The workspace's Python code as one tree file sees it, at one moment: an immutable view that a
 * snapshot keeps, so that it answers for what was known when it was analysed.
 */
export interface PythonView {
  /** The folder of the tree file this view is for (null for an unsaved buffer). */
  readonly fileDir: string | null;
  /** Registered executors by id; more than one entry means the id is registered twice. */
  readonly executors: ReadonlyMap<string, readonly PythonExecutorFacts[]>;
  /** Folders a module reference (`package.module:Name`) is resolved against, nearest first. */
  readonly searchRoots: readonly string[];
  /** What is known of the Python file at `path`: null when it does not exist, undefined when it was not read. */
  file(path: string): PythonFileFacts | null | undefined;
}

export const NO_PYTHON: PythonView = { fileDir: null, executors: new Map(), searchRoots: [], file: () => undefined };
