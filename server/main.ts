// `apflow-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME [--prefetch=URI…]`: the
// language server for any LSP editor (spec 6) and for the extension (over stdio, client/lsp.ts).
import { createConnection, LSPErrorCodes, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type ConnectionOptions, type ConnectionStrategy, type DataCallback, type RequestMessage } from 'vscode-languageserver/node';
import { version } from '../package.json';
import { limitHeapGrowth } from './heap-growth';
import { MessageTraffic } from './message-traffic';
import { jsonEncoder } from './serialized';
import { prefetchArgs } from './prefetch';
import { SERVER_NAME, startServer } from './server';

/**
 * Over stdio with our writer, so that prepared JSON (server/serialized.ts) is sent as it is. What
 * vscode-languageserver does for `--stdio` is kept: anything a dependency logs goes to standard error
 * (standard output is the channel), and the server exits when its input closes, with 0 after a
 * `shutdown` request and 1 without.
 */
function stdioConnection(options: ConnectionOptions) {
  console.log = console.info = console.debug = console.warn = console.error;
  let shutdown = false;
  class Reader extends StreamMessageReader {
    override listen(callback: DataCallback) {
      return super.listen((message) => {
        if ((message as RequestMessage).method === 'shutdown') shutdown = true;
        callback(message);
      });
    }
  }
  const exit = () => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', exit).on('close', exit);
  return createConnection(ProposedFeatures.all, new Reader(process.stdin), new StreamMessageWriter(process.stdout, { contentTypeEncoder: jsonEncoder }), options);
}

const TRANSPORT = /^--(stdio|node-ipc|socket=.+|pipe=.+)$/;
const args = process.argv.slice(2);

if (args.includes('--version')) {
  process.stdout.write(`${SERVER_NAME} ${version}\n`);
} else if (args.includes('--help') || !args.some((a) => TRANSPORT.test(a))) {
  process.stderr.write(`usage: ${SERVER_NAME} --stdio | --node-ipc | --socket=PORT | --pipe=NAME [--prefetch=URI ...]\n`);
  process.exitCode = args.includes('--help') ? 0 : 2;
} else {
  limitHeapGrowth();
  const connectionStrategy: ConnectionStrategy = {
    // A request cancelled before it was handled is answered at once, without computing it.
    cancelUndispatched: (message) => ({
      jsonrpc: '2.0',
      id: (message as RequestMessage).id,
      error: { code: LSPErrorCodes.RequestCancelled, message: 'The request was cancelled.' },
    }),
  };
  const traffic = new MessageTraffic();
  const options: ConnectionOptions = { connectionStrategy, messageStrategy: traffic };
  const connection = args.includes('--stdio') ? stdioConnection(options) : createConnection(ProposedFeatures.all, options);
  startServer(connection, { prefetch: prefetchArgs(args), traffic });
}
