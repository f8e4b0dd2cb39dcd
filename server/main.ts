// `apflow-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME`: the language server for
// any LSP editor (spec 6) and for the extension (node IPC).
import { createConnection, LSPErrorCodes, ProposedFeatures, type RequestMessage } from 'vscode-languageserver/node';
import { version } from '../package.json';
import { SERVER_NAME, startServer } from './server';

const TRANSPORT = /^--(stdio|node-ipc|socket=.+|pipe=.+)$/;
const args = process.argv.slice(2);

if (args.includes('--version')) {
  process.stdout.write(`${SERVER_NAME} ${version}\n`);
} else if (args.includes('--help') || !args.some((a) => TRANSPORT.test(a))) {
  process.stderr.write(`usage: ${SERVER_NAME} --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n`);
  process.exitCode = args.includes('--help') ? 0 : 2;
} else {
  const connection = createConnection(ProposedFeatures.all, {
    connectionStrategy: {
      // A request cancelled before it was handled is answered at once, without computing it.
      cancelUndispatched: (message) => ({
        jsonrpc: '2.0',
        id: (message as RequestMessage).id,
        error: { code: LSPErrorCodes.RequestCancelled, message: 'The request was cancelled.' },
      }),
    },
  });
  startServer(connection);
}
