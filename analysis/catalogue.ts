// The executor catalogue (spec 2.4 and 5): one data module shared by diagnostics, completion, hover,
// the JSON Schema and the runtime, checked against apflow's executor source of 0.18.1 and 0.20
// (`get_input_schema()` of each class, and what `execute()` and the constructor actually read). Input
// schemas allow extra keys because dependency results are merged into inputs at run time (spec 3.4).
import type { ApflowTarget } from './target';

export interface CatalogueEntry {
  id: string;
  description: string;
  /** JSON Schema (draft-07) of the inputs, with a description (and default) on every property. */
  inputSchema: InputSchema;
  /**
   * Constructor arguments apflow takes from the task's `params` (not `inputs`), with the ones it
   * cannot do without. apflow passes every `params` key to the executor's constructor.
   */
  params?: { required: readonly string[]; properties: Record<string, InputProperty> };
  /** Inputs only the embedded runtime reads: apflow ignores them (`ignored-input`). */
  ownInputs?: readonly string[];
  output: string;
  /** Whether the embedded runtime can run it; otherwise it needs an apflow server. */
  local: boolean;
  /** The apflow lines that ship it built in. */
  lines: readonly ApflowTarget[];
  /** What running it on apflow itself needs beyond the tree (environment gates, known bugs). */
  onApflow?: string;
}

export interface InputProperty {
  type?: string | string[];
  description: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
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

/**
 * apflow declares each optional input without a default as `X | None = None`: null is as good as
 * leaving it out.
 */
function nullable(property: InputProperty): InputProperty {
  if (property.oneOf) return { ...property, oneOf: [...property.oneOf, { type: 'null' }] };
  if (property.type === undefined) return property;
  const types = Array.isArray(property.type) ? property.type : [property.type];
  return { ...property, type: [...types, 'null'], ...(property.enum ? { enum: [...property.enum, null] } : {}) };
}

function inputs(required: string[], properties: Record<string, InputProperty>): InputSchema {
  const all = Object.fromEntries(Object.entries(properties).map(([key, p]) => [key, required.includes(key) || 'default' in p ? p : nullable(p)]));
  return { type: 'object', ...(required.length ? { required } : {}), properties: all, additionalProperties: true };
}

const stringOrList: InputProperty['oneOf'] = [{ type: 'string' }, { type: 'array', items: { type: 'string' } }];

const BOTH: readonly ApflowTarget[] = ['0.18', '0.20'];
/** 0.20 removed every built-in but four (apflow commit a4bf909, "strip to 4 core executors"). */
const ONLY_018: readonly ApflowTarget[] = ['0.18'];

const crew = { type: 'object', description: 'The crew: { agents: { name: { role, goal, backstory, llm, tools? } }, tasks: { name: { description, agent, prompt?, expected_output? } } }.', required: ['agents', 'tasks'] };

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'aggregate_results_executor',
    description: 'Collects the results of its dependencies into one result (the aggregate-root pattern).',
    inputSchema: inputs([], {
      dependencies: { type: 'array', items: { type: 'string' }, description: 'Ids of the dependencies (filled in by apflow; rarely written).' },
    }),
    output: '{ summary, timestamp, results, result_count }: results holds every input key, each dependency result under its task id.',
    local: true,
    lines: BOTH,
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
    lines: ONLY_018,
  },
  {
    id: 'command_executor',
    description: 'Runs a shell command; fails on a non-zero exit code.',
    inputSchema: inputs(['command'], {
      command: { type: 'string', description: 'The command, run through the system shell.' },
      timeout: timeout(30),
      cwd: { type: 'string', description: 'This runtime only (apflow ignores it and runs in its own working directory): working directory, default the folder of the .apflow.yaml file.' },
      env: { type: 'object', description: 'This runtime only (apflow ignores it and runs with its own environment): environment variables added to the command’s environment.' },
    }),
    ownInputs: ['cwd', 'env'],
    output: '{ success, return_code, stdout, stderr } (trimmed; here each stream is capped at 1 MiB, apflow keeps them whole).',
    local: true,
    lines: ONLY_018,
    onApflow: 'apflow runs it only when its process has `APFLOW_STDIO_ALLOW_COMMAND=1` (library, CLI and server alike; otherwise every command task fails), and `APFLOW_STDIO_COMMAND_WHITELIST` may limit the commands.',
  },
  {
    id: 'rest_executor',
    description: 'Sends an HTTP request; a non-2xx status still completes the task with success: false.',
    inputSchema: inputs(['url'], {
      url: { type: 'string', description: 'The URL to call.' },
      method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', description: 'Request headers (merged with `params.headers`).' },
      params: { type: 'object', description: 'Query-string parameters.' },
      json: { type: 'object', description: 'Request body, sent as JSON.' },
      data: { type: 'object', description: 'Form body, as a mapping.' },
      auth: {
        type: 'object',
        description: 'Authentication: { type: bearer, token } | { type: basic, username, password } | { type: apikey, key, value, location: header|query }.',
        required: ['type'],
        properties: { type: { enum: ['bearer', 'basic', 'apikey'] } },
      },
      timeout: timeout(30),
      verify: { type: 'boolean', default: true, description: 'Verify TLS certificates.' },
    }),
    params: {
      required: [],
      properties: {
        headers: { type: 'object', description: 'Default headers for every request of this task.' },
        auth: { type: 'object', description: 'Default authentication (as the `auth` input).' },
        verify: { type: 'boolean', default: true, description: 'Verify TLS certificates.' },
        follow_redirects: { type: 'boolean', default: true, description: 'Follow redirects.' },
      },
    },
    output: '{ success, status_code, url, method, headers, json | text }.',
    local: true,
    lines: BOTH,
    onApflow: 'apflow refuses URLs that resolve to private, loopback or link-local addresses unless its process has `APFLOW_REST_ALLOW_PRIVATE_URLS=1`.',
  },
  {
    id: 'send_email_executor',
    description: 'Sends an e-mail through Resend or SMTP.',
    inputSchema: inputs(['to', 'subject'], {
      to: { oneOf: stringOrList, description: 'Recipient address or list of addresses.' },
      subject: { type: 'string', description: 'Subject line.' },
      body: { type: 'string', description: 'Plain-text body.' },
      html: { type: 'string', description: 'HTML body.' },
      from_email: { type: 'string', description: 'Sender address (else the FROM_EMAIL environment variable; needed in practice).' },
      cc: { oneOf: stringOrList, description: 'Copy recipients.' },
      bcc: { oneOf: stringOrList, description: 'Blind-copy recipients.' },
      reply_to: { type: 'string', description: 'Reply-to address.' },
      provider: { type: 'string', enum: ['resend', 'smtp'], description: 'Delivery provider (else resend when there is an API key, smtp when there is an SMTP host).' },
      api_key: { type: 'string', description: 'Resend API key (else RESEND_API_KEY).' },
      smtp_host: { type: 'string', description: 'SMTP host (else SMTP_HOST).' },
      smtp_port: { type: 'integer', description: 'SMTP port (else SMTP_PORT, default 587).' },
      smtp_username: { type: 'string', description: 'SMTP user name (else SMTP_USERNAME).' },
      smtp_password: { type: 'string', description: 'SMTP password (else SMTP_PASSWORD).' },
      smtp_use_tls: { type: 'boolean', description: 'Use STARTTLS (else SMTP_USE_TLS, default true).' },
      timeout: timeout(30),
    }),
    output: 'Delivery status from the provider.',
    local: false,
    lines: BOTH,
  },
  {
    id: 'apflow_api_executor',
    description: 'Calls another apflow instance’s API.',
    inputSchema: inputs(['base_url', 'method', 'params'], {
      base_url: { type: 'string', description: 'Base URL of the apflow API.' },
      method: { type: 'string', description: 'The JSON-RPC method to call, e.g. tasks.execute.' },
      params: { type: 'object', description: 'Parameters of the call.' },
      auth_token: { type: 'string', description: 'Bearer token.' },
      use_streaming: { type: 'boolean', default: false, description: 'Read but ignored by apflow.' },
      wait_for_completion: { type: 'boolean', default: false, description: 'Wait until the remote tasks finish.' },
      poll_interval: { type: 'number', default: 1.0, description: 'Seconds between status polls.' },
      timeout: timeout(300),
      headers: { type: 'object', description: 'Extra request headers.' },
    }),
    output: 'The remote call’s result.',
    local: false,
    lines: BOTH,
    onApflow: 'apflow 0.18.1 and 0.20 cannot load it by id (their scanner maps it to a module that does not exist), so a tree using it fails unless the host imported `apflow.extensions.apflow.api_executor` first.',
  },
  {
    id: 'ssh_executor',
    description: 'Runs a command on a remote host over SSH.',
    inputSchema: inputs(['host', 'username', 'command'], {
      host: { type: 'string', description: 'Remote host.' },
      username: { type: 'string', description: 'User name.' },
      command: { type: 'string', description: 'Command to run.' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 22, description: 'SSH port.' },
      password: { type: 'string', description: 'Password (prefer key_file).' },
      key_file: { type: 'string', description: 'Path to a private key.' },
      timeout: { ...timeout(30), type: ['integer', 'number'] },
      env: { type: 'object', description: 'Environment variables.' },
    }),
    output: '{ success, return_code, stdout, stderr }.',
    local: false,
    lines: ONLY_018,
  },
  {
    id: 'docker_executor',
    description: 'Runs a command in a Docker container.',
    inputSchema: inputs(['image', 'command'], {
      image: { type: 'string', description: 'Container image.' },
      command: { type: 'string', description: 'Command to run in the container.' },
      env: { type: 'object', description: 'Environment variables.' },
      volumes: { type: 'object', description: 'Volume mounts (sensitive host paths need APFLOW_DOCKER_ALLOW_SENSITIVE_MOUNTS=1).' },
      working_dir: { type: 'string', description: 'Working directory in the container.' },
      timeout: timeout(60),
      remove: { type: 'boolean', default: true, description: 'Remove the container afterwards.' },
      resources: { type: 'object', description: 'Resource limits: { cpu, memory }.', properties: { cpu: { description: 'CPU limit.' }, memory: { description: 'Memory limit.' } } },
    }),
    output: '{ success, return_code, stdout, stderr }.',
    local: false,
    lines: ONLY_018,
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
    lines: ONLY_018,
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
    lines: ONLY_018,
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
    lines: ONLY_018,
  },
  {
    id: 'llm_executor',
    description: 'Sends chat messages to a large language model (LiteLLM).',
    inputSchema: inputs(['messages'], {
      messages: { type: 'array', items: { type: 'object' }, description: 'Chat messages ({ role, content }).' },
      model: { type: 'string', description: 'Model id, when `params.model` does not give one (params win).' },
      stream: { type: 'boolean', description: 'Stream the reply, when `params.stream` does not say.' },
    }),
    params: {
      required: [],
      properties: {
        model: { type: 'string', description: 'Model id (read before `inputs.model`; `schemas.model` never reaches the executor).' },
        api_key: { type: 'string', description: 'API key (else the user’s stored key).' },
        temperature: { type: 'number', description: 'Sampling temperature.' },
        max_tokens: { type: 'integer', description: 'Token limit.' },
        stream: { type: 'boolean', description: 'Stream the reply.' },
      },
    },
    output: '{ success, content, is_stream, usage, model }.',
    local: false,
    lines: ONLY_018,
  },
  {
    id: 'crewai_executor',
    description: 'Runs a CrewAI crew of agents and tasks.',
    inputSchema: inputs([], {
      user_id: { type: 'string', description: 'User whose LLM key the crew uses.' },
    }),
    params: { required: ['works'], properties: { works: crew, model: { type: 'string', description: 'Default model of the agents.' } } },
    output: 'The crew’s result.',
    local: false,
    lines: ONLY_018,
  },
  {
    id: 'batch_crewai_executor',
    description: 'Runs several CrewAI crews as one batch.',
    inputSchema: inputs([], {}),
    params: { required: ['works'], properties: { works: { type: 'object', description: 'The crews, by name: each { agents, tasks } as for crewai_executor.' } } },
    output: 'The batch’s results.',
    local: false,
    lines: ONLY_018,
  },
  {
    id: 'generate_executor',
    description: 'Generates an apflow task tree from a natural-language requirement.',
    inputSchema: inputs(['requirement'], {
      requirement: { type: 'string', description: 'What the generated tree should do.' },
      user_id: { type: 'string', description: 'User id of the generated tasks (else the task’s own).' },
      generation_mode: { type: 'string', enum: ['single_shot', 'multi_phase'], default: 'single_shot', description: 'Generation strategy.' },
      llm_provider: { type: 'string', description: 'LLM provider: openai or anthropic (else APFLOW_LLM_PROVIDER, default openai); apflow fails the task at run time on any other.' },
      model: { type: 'string', description: 'Model id (else the provider’s default).' },
      temperature: { type: 'number', default: 0.7, description: 'Sampling temperature.' },
      max_tokens: { type: 'integer', default: 4000, description: 'Token limit of the reply.' },
      api_key: { type: 'string', description: 'Provider API key (else OPENAI_API_KEY or ANTHROPIC_API_KEY).' },
    }),
    output: 'A task tree.',
    local: false,
    lines: ONLY_018,
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
    lines: ONLY_018,
  },
];

const byId = new Map(CATALOGUE.map((entry) => [entry.id, entry]));

export function catalogueEntry(id: string): CatalogueEntry | undefined {
  return byId.get(id);
}

export const BUILTIN_EXECUTOR_IDS: readonly string[] = CATALOGUE.map((entry) => entry.id);

/** Whether `id` is built into apflow `target` (0.20 ships four; 0.18 all sixteen). */
export function isBuiltin(id: string, target: ApflowTarget): boolean {
  return byId.get(id)?.lines.includes(target) ?? false;
}

/** The ids built into apflow `target`. */
export function builtinIds(target: ApflowTarget): string[] {
  return CATALOGUE.filter((entry) => entry.lines.includes(target)).map((entry) => entry.id);
}
