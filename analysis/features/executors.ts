// What the language features say about executors: the built-in catalogue, the file's own
// declarations (spec 1.4, 2.4) and the executors registered in the workspace's Python files (issue
// 12), read the same way for completion and hover.
import { basename } from 'node:path';
import { CATALOGUE, catalogueEntry, type CatalogueEntry } from '../catalogue';
import { workspaceExecutor } from '../python/executors';
import type { DocumentState } from '../state';
import type { ApflowTarget } from '../target';
import type { Range } from '../types';

export interface ExecutorInfo {
  id: string;
  description: string | null;
  /** Whether the embedded runtime can run it (workspace executors always can). */
  local: boolean;
  /** Declared under `executors:` in this file. */
  declared: boolean;
  /** Registered in a Python file of the workspace (and not declared here). */
  registered: boolean;
  inputSchema: Record<string, unknown> | null;
  output: string | null;
  module: string | null;
  /** The catalogue entry of a built-in (null for a workspace executor). */
  builtin: CatalogueEntry | null;
  /** The file's target, and whether that apflow line ships this executor. */
  target: ApflowTarget;
  inTarget: boolean;
  /** A Python class's or function's docstring (the guide's *Args (inputs)* section). */
  docstring: string | null;
  /** Where its Python code is defined. */
  location: { file: string; range: Range } | null;
}

export interface InputInfo {
  key: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string | null;
  enum: unknown[] | null;
}

/** A declaration wins over a built-in of the same id, as in the checks (the clash itself is an error); a built-in over a Python registration. */
export function executorInfo(state: DocumentState, id: string): ExecutorInfo | null {
  const { target } = state.header.facts.target;
  const entry = catalogueEntry(id);
  const workspace = workspaceExecutor(id, state.header.facts, state.graph.python);
  if (workspace && (workspace.source === 'declared' || !entry)) {
    const { description, inputSchema, module, docstring, location } = workspace;
    return { id, description, local: true, declared: workspace.source === 'declared', registered: workspace.source === 'registered', inputSchema, output: null, module, builtin: null, target, inTarget: true, docstring, location };
  }
  return entry
    ? {
        id,
        description: entry.description,
        local: entry.local,
        declared: false,
        registered: false,
        inputSchema: entry.inputSchema as unknown as Record<string, unknown>,
        output: entry.output,
        module: null,
        builtin: entry,
        target,
        inTarget: entry.lines.includes(target),
        docstring: null,
        location: null,
      }
    : null;
}

/**
 * The file's declared executors first, then those registered in Python, then the built-ins of the
 * file's target (each minus ids an earlier group has).
 */
export function allExecutors(state: DocumentState): ExecutorInfo[] {
  const ids = [...state.header.facts.executors.map((d) => d.id), ...state.graph.python.executors.keys(), ...CATALOGUE.map((e) => e.id)];
  return [...new Set(ids)].map((id) => executorInfo(state, id) as ExecutorInfo).filter((info) => info.inTarget);
}

export function whereItRuns(info: ExecutorInfo): string {
  if (!info.inTarget) return `not built into apflow ${info.target}`;
  return info.local ? 'runs locally' : 'needs an apflow server';
}

function typeText(schema: Record<string, unknown>): string {
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' | ');
  if (typeof type === 'string') return type;
  const alternatives = (schema.oneOf ?? schema.anyOf) as Record<string, unknown>[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map((a) => (a.type === 'array' && (a.items as { type?: string } | undefined)?.type ? `${String((a.items as { type: string }).type)}[]` : typeText(a))).join(' | ');
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  return 'any';
}

/** The properties of an input schema, required ones first (each group in schema order). */
function inputsOf(schema: Record<string, unknown> | null): InputInfo[] {
  const properties = schema?.properties;
  if (!properties || typeof properties !== 'object') return [];
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as unknown[]).map(String) : []);
  const all = Object.entries(properties as Record<string, Record<string, unknown>>).map(([key, p]): InputInfo => {
    const property = p && typeof p === 'object' ? p : {};
    return {
      key,
      type: typeText(property),
      required: required.has(key),
      ...('default' in property ? { default: property.default } : {}),
      description: typeof property.description === 'string' ? property.description : null,
      // null in an enum only says that the input may be left unset: it is not a value to offer.
      enum: Array.isArray(property.enum) ? property.enum.filter((v) => v !== null) : null,
    };
  });
  return [...all.filter((i) => i.required), ...all.filter((i) => !i.required)];
}

/** The input schemas that apply to a task with executor `id` (spec 2.1 `invalid-inputs`): the executor's, then the task's own. */
function inputSchemasFor(state: DocumentState, executor: string | null, ownSchema: unknown): Record<string, unknown>[] {
  const schemas: Record<string, unknown>[] = [];
  const info = executor === null ? null : executorInfo(state, executor);
  if (info?.inputSchema) schemas.push(info.inputSchema);
  if (ownSchema && typeof ownSchema === 'object' && !Array.isArray(ownSchema)) schemas.push(ownSchema as Record<string, unknown>);
  return schemas;
}

/** Inputs of every applicable schema, merged by key (the first schema to describe a key wins; required if any says so). */
export function inputsFor(state: DocumentState, executor: string | null, ownSchema: unknown): InputInfo[] {
  const merged = new Map<string, InputInfo>();
  for (const schema of inputSchemasFor(state, executor, ownSchema)) {
    for (const input of inputsOf(schema)) {
      const known = merged.get(input.key);
      if (!known) merged.set(input.key, input);
      else if (input.required) known.required = true;
    }
  }
  const all = [...merged.values()];
  return [...all.filter((i) => i.required), ...all.filter((i) => !i.required)];
}

/** A markdown table of inputs: key, type, required, default. */
function inputTable(inputs: readonly InputInfo[]): string {
  if (!inputs.length) return 'No declared inputs.';
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = inputs.map((i) => `| \`${i.key}\` | ${cell(i.type)} | ${i.required ? 'yes' : 'no'} | ${'default' in i ? `\`${cell(JSON.stringify(i.default))}\`` : ''} |`);
  return ['| input | type | required | default |', '|---|---|---|---|', ...rows].join('\n');
}

/** Which apflow lines ship a built-in, said against the file's target. */
function linesText(info: ExecutorInfo, entry: CatalogueEntry): string {
  const lines = `apflow ${entry.lines.join(' and ')}`;
  return info.inTarget ? `Built into ${lines}.` : `Built into ${lines} only: not into apflow ${info.target}, this file's target.`;
}

/** Where Python code runs (docs/python-host.md): not in the embedded runtime's JavaScript, but in the run's Python host. */
const PYTHON_HOST =
  "runs in the run's Python host, with the workspace's Python: `apflow.python.interpreter`, else a `.venv`/`venv` in the workspace, else the Python extension's interpreter, else `python3`.";

/** Hover and completion documentation of an executor. */
export function executorMarkdown(info: ExecutorInfo, inputs: readonly InputInfo[]): string {
  const entry = info.builtin;
  const python = info.location ? `Python, \`${basename(info.location.file)}\` line ${info.location.range.start.line + 1}` : null;
  const where = info.declared
    ? info.module
      ? `Workspace executor in \`${info.module}\`: runs locally in the embedded runtime.`
      : `Workspace executor${python ? ` (${python})` : ''}: ${PYTHON_HOST}`
    : info.registered
      ? `Registered in the workspace's Python code${python ? ` (${python})` : ''}: ${PYTHON_HOST} Its file is imported there and the executor built through apflow's registry, so apflow must be installed in that Python.`
      : info.local
        ? 'Runs locally in the embedded runtime.'
        : "**Needs an apflow server**, or apflow installed in the workspace's Python: then the Python host runs it locally through apflow's registry.";
  const docstring = info.docstring && info.docstring !== info.description ? '```text\n' + info.docstring.replace(/```/g, "'''") + '\n```' : '';
  const parts = [`**${info.id}**`, info.description ?? '', entry ? `${linesText(info, entry)} ${where}` : where, docstring, inputTable(inputs)];
  const params = entry?.params ? inputsOf({ properties: entry.params.properties, required: [...entry.params.required] }) : [];
  if (params.length) parts.push(`From \`params\` (apflow passes them to the executor's constructor):\n\n${inputTable(params).replace('| input |', '| param |')}`);
  if (entry?.ownInputs?.length) parts.push(`${entry.ownInputs.map((i) => `\`${i}\``).join(' and ')}: read only by this runtime; apflow ignores them.`);
  if (entry?.onApflow) parts.push(`On apflow: ${entry.onApflow}`);
  if (info.output) parts.push(`Output: ${info.output}`);
  return parts.filter(Boolean).join('\n\n');
}
