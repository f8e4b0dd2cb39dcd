import { EXIT_USAGE, type Command } from '../io';

/** Placeholder for subcommands whose issue has not landed yet. */
export function notYetImplemented(name: string): Command {
  return async (_argv, io) => {
    io.stderr.write(`apflow-yaml ${name}: not yet implemented\n`);
    return EXIT_USAGE;
  };
}
