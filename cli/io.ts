// What a CLI command reads and writes, injected so that commands can be tested in-process and the
// real process streams are touched only by main.ts.

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** What `validate -` reads; absent where nothing can be piped in (the editor, in-process tests). */
  stdin?: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: takes the arguments after its name and resolves to the process exit status. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Exit status for usage errors and unreadable paths (spec 6.1). */
export const EXIT_USAGE = 2;

/** A usage mistake: main.ts prints the message and exits with EXIT_USAGE. */
export class UsageError extends Error {}
