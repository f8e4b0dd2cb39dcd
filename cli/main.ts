// apflow-yaml: the analysis core and the embedded runtime outside the editor (spec 6).
import { EXIT_USAGE, UsageError, type CliIo, type Command } from './io';
import { validateCommand } from './commands/validate';
import { VALIDATE_USAGE } from './validate-options';
import { runCommand } from './commands/run';
import { retryCommand } from './commands/retry';
import { historyCommand } from './commands/history';
import { showCommand } from './commands/show';
import { exportCommand } from './commands/export';
import { rerunWithLargerYoungGeneration, wantsLargerYoungGeneration } from './young-generation';
import { testCommand, TEST_USAGE } from './commands/test';
import { workerCommand } from './commands/worker';
import { version } from '../package.json';

const commands: Record<string, { run: Command; summary: string }> = {
  validate: { run: validateCommand, summary: `${VALIDATE_USAGE}   check task trees` },
  run: { run: runCommand, summary: 'run FILE [--task ID] [--concurrency N] [--history PATH | --no-history] [--python PATH] [--json] [--target 0.18|0.20] [--server URL [--token-env VAR] | --redis URL [--queue NAME]]' },
  retry: { run: retryCommand, summary: 'retry [RUN_ID | --last] [--history PATH] [--python PATH] [--server URL [--token-env VAR]] [--json]' },
  history: { run: historyCommand, summary: 'history [--limit N] [--file FILE] [--history PATH] [--json]' },
  show: { run: showCommand, summary: 'show RUN_ID [--history PATH] [--json]' },
  export: { run: exportCommand, summary: 'export FILE [--out PATH] [--target 0.18|0.20]' },
  test: { run: testCommand, summary: `${TEST_USAGE}   run tree tests` },
  worker: { run: workerCommand, summary: 'worker --redis URL [--concurrency N] [--queue NAME] [--python PATH]   run queued tasks (docs/workers.md)' },
};

function usage(): string {
  const lines = Object.values(commands).map((c) => `  apflow-yaml ${c.summary}`);
  return `Usage:\n${lines.join('\n')}\n\nOptions: --json (machine output), --help, --version\n`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`apflow-yaml: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: apflow-yaml ${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`apflow-yaml ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/**
 * A reader that went away (`validate | head -1`, a closed terminal) is not an error of the command: its
 * output is dropped from then on and the command ends as it would have, quietly.
 */
function dropOutputOnceClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'EIO' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (wantsLargerYoungGeneration(args)) process.exitCode = rerunWithLargerYoungGeneration(args);
  else runHere(args);
}

function runHere(args: string[]): void {
  dropOutputOnceClosed(process.stdout);
  dropOutputOnceClosed(process.stderr);
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
  main(args, io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`apflow-yaml: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
