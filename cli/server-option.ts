// `--server URL [--token-env VAR]` of run and retry (issue 15): the run goes to an apflow 0.18 API server
// instead of the embedded runtime. The token comes from the environment only (default APFLOW_TOKEN), so
// that it is never on a command line, in the history or in the output.
import { connectServer, prepareServerRun, ServerError, ServerRun, type ServerRunRequest } from '../runtime';
import { UsageError, type CliIo } from './io';
import type { Launch } from './run-session';

export const SERVER_OPTIONS = { server: { type: 'string' }, 'token-env': { type: 'string' } } as const;
export const DEFAULT_TOKEN_ENV = 'APFLOW_TOKEN';

export interface ServerChoice {
  url: string;
  tokenEnv: string;
}

/** The options as given; null without --server. Local-only options alongside it are usage errors. */
export function serverChoice(values: { server?: string; 'token-env'?: string; concurrency?: string; python?: string }, recorded?: string): ServerChoice | null {
  const url = values.server ?? recorded;
  if (url === undefined) {
    if (values['token-env'] !== undefined) throw new UsageError('--token-env goes with --server URL');
    return null;
  }
  for (const local of ['concurrency', 'python'] as const) {
    if (values[local] !== undefined) throw new UsageError(`--${local} applies to runs on this machine; a run on an apflow server uses the server's own`);
  }
  const tokenEnv = values['token-env'] ?? DEFAULT_TOKEN_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new UsageError(`--token-env takes the name of an environment variable, not '${tokenEnv}'`);
  return { url, tokenEnv };
}

/** The server run's pre-flight: the file's refusals first, then the server's answer to the token. */
export function serverLaunch(io: CliIo, choice: ServerChoice, request: ServerRunRequest): () => Promise<Launch> {
  return async () => {
    const preflight = await prepareServerRun(request);
    if (!preflight.ok) return preflight;
    const token = io.env[choice.tokenEnv] || null;
    try {
      const client = await connectServer({ url: choice.url, token, tokenSource: `the token in the environment variable ${choice.tokenEnv} (--token-env)` });
      return { ok: true, warnings: preflight.warnings, create: async () => ({ run: new ServerRun(preflight.plan, preflight.submission, client), release: async () => undefined }) };
    } catch (error) {
      if (error instanceof ServerError) return { ok: false, message: error.message };
      throw error;
    }
  };
}
