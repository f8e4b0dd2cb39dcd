// Runs on an apflow 0.18.1 API server (issue 15): the client, the submission and the run.
import { ApflowServerClient, ServerError, serverUrl, type ServerEndpoint } from './rpc';

export { ApflowServerClient, ServerError, serverUrl, type ServerEndpoint } from './rpc';
export { prepareServerRun, type ServerPreflight, type ServerRunRequest, type Submission } from './submission';
export { ServerRun, type ServerRunOptions } from './server-run';

/** The methods a run uses: a server without them is not one this client can drive. */
const REQUIRED_METHODS = ['tasks.create', 'tasks.execute', 'tasks.get', 'tasks.running.status', 'tasks.cancel'];

/**
 * Checks, before anything is submitted, that the server answers as apflow 0.18's API does and takes the
 * token: resolves to a client, or rejects with a ServerError saying what is wrong.
 */
export async function connectServer(endpoint: ServerEndpoint): Promise<ApflowServerClient> {
  const client = new ApflowServerClient({ ...endpoint, url: serverUrl(endpoint.url) });
  const methods = await client.methods();
  const missing = REQUIRED_METHODS.filter((m) => !methods.includes(m));
  if (missing.length > 0) {
    throw new ServerError(`the server at ${client.endpoint.url} does not offer ${missing.join(', ')}: it is not an apflow 0.18 API server this client supports`, 'protocol');
  }
  return client;
}
