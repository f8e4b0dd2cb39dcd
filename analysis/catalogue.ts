// The executor catalogue (spec 2.4 and 5): one data module shared by diagnostics, completion, hover,
// the JSON Schema and the runtime. Input schemas allow extra keys because dependency results are merged
// into inputs at run time (spec 3.4).

export interface CatalogueEntry {
  id: string;
  description: string;
  /** JSON Schema (draft-07) of the inputs, with a description (and default) on every property. */
  inputSchema: InputSchema;
  output: string;
  /** Whether the embedded runtime can run it; otherwise it needs an apflow server. */
  local: boolean;
}

export interface InputProperty {
  type?: string | string[];
  description: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  exclusiveMinimum?: number;
  items?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  required?: string[];
  oneOf?: Record<string, unknown>[];
}

export interface InputSchema {
  type: 'object';
  required?: string[];
  properties: Record<string, InputProperty>;
  additionalProperties: true;
}

const timeout = (seconds: number): InputProperty => ({
  type: 'number',
  exclusiveMinimum: 0,
  description: `Seconds before the executor gives up (default ${seconds}).`,
  default: seconds,
});

function inputs(required: string[], properties: Record<string, InputProperty>): InputSchema {
  return { type: 'object', ...(required.length ? { required } : {}), properties, additionalProperties: true };
}

const stringOrList: InputProperty['oneOf'] = [{ type: 'string' }, { type: 'array', items: { type: 'string' } }];

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'aggregate_results_executor',
    description: 'Collects the results of its dependencies into one result (the aggregate-root pattern).',
    inputSchema: inputs([], {}),
    output: '{ summary, timestamp, results, result_count }: results holds every input key, each dependency result under its task id.',
    local: true,
  },
  {
    id: 'system_info_executor',
    description: 'Reads CPU, memory or disk information from the machine that runs the tree.',
    inputSchema: inputs([], {
      resource: { type: 'string', enum: ['cpu', 'memory', 'disk', 'all'], default: 'all', description: 'Which resource to report: cpu, memory, disk or all.' },
      timeout: { type: 'integer', minimum: 1, default: 30, description: 'Seconds before the executor gives up (default 30).' },
    }),
    output: 'cpu: { system, brand, cores, threads }; memory: { system, total_gb }; disk: { system, total, used, available, used_percent }; all: { cpu, memory, disk }.',
    local: true,
  },
  {
    id: 'command_executor',
    description: 'Runs a shell command; fails on a non-zero exit code.',
    inputSchema: inputs(['command'], {
      command: { type: 'string', description: 'The command, run through the system shell.' },
      timeout: timeout(30),
      cwd: { type: 'string', description: 'Working directory (default: the folder of the .apflow.yaml file).' },
      env: { type: 'object', description: 'Environment variables added to the command’s environment.' },
    }),
    output: '{ success, return_code, stdout, stderr } (trimmed; each stream capped at 1 MiB).',
    local: true,
  },
  {
    id: 'rest_executor',
    description: 'Sends an HTTP request; a non-2xx status still completes the task with success: false.',
    inputSchema: inputs(['url'], {
      url: { type: 'string', description: 'The URL to call.' },
      method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', description: 'Request headers.' },
      params: { type: 'object', description: 'Query-string parameters.' },
      json: { description: 'Request body, sent as JSON.' },
      data: { type: ['string', 'object'], description: 'Form body, as a string or a mapping.' },
      auth: {
        type: 'object',
        description: 'Authentication: { type: bearer, token } | { type: basic, username, password } | { type: apikey, key, value, location: header|query }.',
        required: ['type'],
        properties: { type: { enum: ['bearer', 'basic', 'apikey'] } },
      },
      timeout: timeout(30),
      verify: { type: 'boolean', default: true, description: 'Verify TLS certificates.' },
    }),
    output: '{ success, status_code, url, method, headers, json | text }.',
    local: true,
  },
  {
    id: 'send_email_executor',
    description: 'Sends an e-mail through Resend or SMTP.',
    inputSchema: inputs(['to', 'subject'], {
      to: { oneOf: stringOrList, description: 'Recipient address or list of addresses.' },
      subject: { type: 'string', description: 'Subject line.' },
      body: { type: 'string', description: 'Plain-text body.' },
      html: { type: 'string', description: 'HTML body.' },
      from_email: { type: 'string', description: 'Sender address.' },
      cc: { oneOf: stringOrList, description: 'Copy recipients.' },
      bcc: { oneOf: stringOrList, description: 'Blind-copy recipients.' },
      reply_to: { type: 'string', description: 'Reply-to address.' },
      provider: { type: 'string', enum: ['resend', 'smtp'], description: 'Delivery provider.' },
      api_key: { type: 'string', description: 'Provider API key.' },
      smtp_host: { type: 'string', description: 'SMTP host.' },
      smtp_port: { type: 'integer', description: 'SMTP port.' },
      smtp_username: { type: 'string', description: 'SMTP user name.' },
      smtp_password: { type: 'string', description: 'SMTP password.' },
      timeout: timeout(30),
    }),
    output: 'Delivery status from the provider.',
    local: false,
  },
  {
    id: 'apflow_api_executor',
    description: 'Calls another apflow instance’s API.',
    inputSchema: inputs(['base_url', 'method', 'params'], {
      base_url: { type: 'string', description: 'Base URL of the apflow API.' },
      method: { type: 'string', description: 'The JSON-RPC method to call, e.g. tasks.execute.' },
      params: { type: 'object', description: 'Parameters of the call.' },
      auth_token: { type: 'string', description: 'Bearer token.' },
      use_streaming: { type: 'boolean', default: false, description: 'Stream progress events.' },
      wait_for_completion: { type: 'boolean', default: false, description: 'Wait until the remote tasks finish.' },
      poll_interval: { type: 'number', default: 1.0, description: 'Seconds between status polls.' },
      timeout: timeout(300),
      headers: { type: 'object', description: 'Extra request headers.' },
    }),
    output: 'The remote call’s result.',
    local: false,
  },
  {
    id: 'ssh_executor',
    description: 'Runs a command on a remote host over SSH.',
    inputSchema: inputs(['host', 'username', 'command'], {
      host: { type: 'string', description: 'Remote host.' },
      username: { type: 'string', description: 'User name.' },
      command: { type: 'string', description: 'Command to run.' },
      port: { type: 'integer', default: 22, description: 'SSH port.' },
      password: { type: 'string', description: 'Password (prefer key_file).' },
      key_file: { type: 'string', description: 'Path to a private key.' },
      timeout: timeout(30),
      env: { type: 'object', description: 'Environment variables.' },
    }),
    output: '{ success, return_code, stdout, stderr }.',
    local: false,
  },
  {
    id: 'docker_executor',
    description: 'Runs a command in a Docker container.',
    inputSchema: inputs(['image', 'command'], {
      image: { type: 'string', description: 'Container image.' },
      command: { type: 'string', description: 'Command to run in the container.' },
      env: { type: 'object', description: 'Environment variables.' },
      volumes: { type: 'object', description: 'Volume mounts.' },
      working_dir: { type: 'string', description: 'Working directory in the container.' },
      timeout: timeout(60),
      remove: { type: 'boolean', default: true, description: 'Remove the container afterwards.' },
      resources: { type: 'object', description: 'Resource limits.' },
    }),
    output: '{ success, return_code, stdout, stderr }.',
    local: false,
  },
  {
    id: 'grpc_executor',
    description: 'Calls a gRPC method.',
    inputSchema: inputs(['server', 'service', 'method', 'request'], {
      server: { type: 'string', description: 'Server address (host:port).' },
      service: { type: 'string', description: 'Service name.' },
      method: { type: 'string', description: 'Method name.' },
      request: { type: 'object', description: 'Request message.' },
      proto_file: { type: 'string', description: 'Path to the .proto file.' },
      timeout: timeout(30),
      metadata: { type: 'object', description: 'Call metadata.' },
    }),
    output: 'The response message.',
    local: false,
  },
  {
    id: 'websocket_executor',
    description: 'Sends a message over a WebSocket and optionally waits for the reply.',
    inputSchema: inputs(['url', 'message'], {
      url: { type: 'string', description: 'WebSocket URL.' },
      message: { description: 'Message to send.' },
      wait_response: { type: 'boolean', default: true, description: 'Wait for a reply.' },
      timeout: timeout(30),
      headers: { type: 'object', description: 'Handshake headers.' },
    }),
    output: 'The reply, when waited for.',
    local: false,
  },
  {
    id: 'mcp_executor',
    description: 'Talks to a Model Context Protocol server: lists or calls tools, lists or reads resources.',
    inputSchema: inputs(['transport', 'operation'], {
      transport: { type: 'string', enum: ['stdio', 'http'], description: 'How to reach the MCP server.' },
      operation: { type: 'string', enum: ['list_tools', 'call_tool', 'list_resources', 'read_resource'], description: 'What to do.' },
      command: { type: 'array', items: { type: 'string' }, description: 'Server command line (stdio transport).' },
      env: { type: 'object', description: 'Environment for the server process.' },
      cwd: { type: 'string', description: 'Working directory for the server process.' },
      url: { type: 'string', description: 'Server URL (http transport).' },
      headers: { type: 'object', description: 'HTTP headers.' },
      tool_name: { type: 'string', description: 'Tool to call (call_tool).' },
      arguments: { type: 'object', description: 'Tool arguments (call_tool).' },
      resource_uri: { type: 'string', description: 'Resource to read (read_resource).' },
      timeout: timeout(30),
    }),
    output: 'The MCP response.',
    local: false,
  },
  {
    id: 'llm_executor',
    description: 'Sends chat messages to a large language model.',
    inputSchema: inputs(['messages'], {
      messages: { type: 'array', description: 'Chat messages ({ role, content }).' },
      model: { type: 'string', description: 'Model id (else schemas.model or params.model).' },
      stream: { type: 'boolean', description: 'Stream the reply.' },
    }),
    output: 'The model’s reply.',
    local: false,
  },
  {
    id: 'crewai_executor',
    description: 'Runs a CrewAI crew of agents and tasks.',
    inputSchema: inputs(['works'], {
      works: { type: 'object', description: 'The crew: { agents, tasks }.', required: ['agents', 'tasks'] },
    }),
    output: 'The crew’s result.',
    local: false,
  },
  {
    id: 'batch_crewai_executor',
    description: 'Runs several CrewAI crews as one batch.',
    inputSchema: inputs(['works'], {
      works: { type: 'object', description: 'The crews: { agents, tasks }.', required: ['agents', 'tasks'] },
    }),
    output: 'The batch’s results.',
    local: false,
  },
  {
    id: 'generate_executor',
    description: 'Generates an apflow task tree from a natural-language requirement.',
    inputSchema: inputs(['requirement'], {
      requirement: { type: 'string', description: 'What the generated tree should do.' },
      generation_mode: { type: 'string', enum: ['single_shot', 'multi_phase'], description: 'Generation strategy.' },
      llm_provider: { type: 'string', description: 'LLM provider.' },
      model: { type: 'string', description: 'Model id.' },
      temperature: { type: 'number', default: 0.7, description: 'Sampling temperature.' },
      max_tokens: { type: 'integer', description: 'Token limit.' },
    }),
    output: 'A task tree.',
    local: false,
  },
  {
    id: 'scrape_executor',
    description: 'Fetches a web page and extracts its text.',
    inputSchema: inputs(['url'], {
      url: { type: 'string', description: 'Page URL.' },
      max_chars: { type: 'integer', default: 5000, description: 'Maximum characters of text to keep.' },
      extract_metadata: { type: 'boolean', default: true, description: 'Also extract title and meta tags.' },
    }),
    output: '{ url, text, metadata }.',
    local: false,
  },
];

const byId = new Map(CATALOGUE.map((entry) => [entry.id, entry]));

export function catalogueEntry(id: string): CatalogueEntry | undefined {
  return byId.get(id);
}

export const BUILTIN_EXECUTOR_IDS: readonly string[] = CATALOGUE.map((entry) => entry.id);
