// Generates syntaxes/apflow.tmLanguage.json: the YAML grammar built into VS Code (source.yaml) plus
// injected scopes for apflow keys, executor ids after `method:` / `executor_id:` and task references in
// `parent_id` and `dependencies`. Edit this file and run `node scripts/grammar.mjs`; the JSON is committed.
//
// Why it is shaped this way (docs/grammar.md; figures in docs/benchmarks.md, issue 9): vscode-textmate
// tests the selector of every injection at every scan position of a line, runs the patterns of those
// that match, and searches each pattern from that position to the end of the line. The first grammar
// injected look-behind patterns into all of `source.apflow` and cost 12× the YAML grammar on a
// 10,000-task file. Here:
//   - three injections, each selected only where it can apply (inside scalars, outside them, inside a
//     `dependencies` region), with short selectors: testing them is most of what remains of the cost;
//   - every pattern begins with `\G`. YAML opens its keys and scalars with rules whose begin match ends
//     where the text starts, so `\G` is exactly the first character of the key or scalar; elsewhere
//     vscode-textmate replaces `\G` by a character no line contains and the search fails at once. The
//     look-behinds after `\G` (which key is before this value?) are then tried once per scalar, not once
//     per character.
// The injections have right priority ("R:") where they only name text inside a scalar YAML has already
// recognised, so YAML's own structure stays intact; the `dependencies` regions are left priority ("L:")
// because they must start where YAML would start its own sequence.
import { writeFileSync } from 'node:fs';

const BUILTINS = [
  'aggregate_results_executor', 'system_info_executor', 'command_executor', 'rest_executor', 'send_email_executor',
  'apflow_api_executor', 'ssh_executor', 'docker_executor', 'grpc_executor', 'websocket_executor', 'mcp_executor',
  'llm_executor', 'crewai_executor', 'batch_crewai_executor', 'generate_executor', 'scrape_executor',
];
const KEYS = [
  // top level
  'version', 'description', 'executors', 'tasks',
  // task
  'id', 'name', 'parent_id', 'dependencies', 'priority', 'inputs', 'schemas', 'params', 'user_id', 'max_attempts',
  'backoff_strategy', 'backoff_base_seconds', 'timeout', 'schedule_type', 'schedule_expression', 'schedule_enabled',
  'schedule_start_at', 'schedule_end_at', 'max_runs',
  // schemas / params
  'method', 'input_schema', 'model', 'type', 'executor_id',
  // executor declaration
  'module', 'export', 'output_schema',
  // dependency mapping
  'required',
];

const KEY = 'support.type.property-name.apflow';
const REF = 'variable.other.reference.apflow';
const BUILTIN = 'support.function.executor.builtin.apflow';
const EXECUTOR = 'entity.name.function.executor.apflow';
const DEPENDENCIES = 'meta.dependencies.apflow';

const alt = (list) => `(?:${[...list].sort((a, b) => b.length - a.length).join('|')})`;

// The look-behinds below are bounded (`{0,3}`, not `*`): Oniguruma tries a bounded look-behind at each
// length it allows, but an unbounded one from every position back to the start of the line, which made
// each item of a 200-item `dependencies` line cost as much as the line.
/** What precedes the value of one of `names`: `name:`, `"name":` or `'name':` and up to three blanks each side of the colon. */
const afterKey = (names) => `(?:^|[\\s{,\\[])["']?${alt(names)}["']?[\\t ]{0,3}:[\\t ]{0,3}`;
/** What precedes a sequence item: `- ` (block), `[` or `,` (flow) and up to three blanks. */
const itemStart = '(?:[\\[,]|-[\\t ])[\\t ]{0,3}';
/** What precedes an item that starts a line of a flow sequence (unbounded, so only where the others fail). */
const lineStart = '^[\\t ]*';

// The end of a plain scalar value: end of line, a comment, or a flow indicator.
const valueEnd = '(?=[\\t ]*(?:$|#|[,\\]}]))';
// One line of a plain scalar: no `: `, ` #` or flow indicators.
const plainChar = '(?:[^\\s#:,\\[\\]{}]|:(?![\\s,\\]}])|(?<!\\s)#)';
const plain = `${plainChar}(?:[\\t ]*${plainChar})*`;

/** The closing quote of a quoted scalar that is not a key (not followed by `:`). */
const notKey = (quote) => `(?=${quote}(?![\\t ]*:))`;

/**
 * The whole text of a scalar: plain, or inside double or single quotes (YAML's quoted-string rule opens
 * after the quote, so `\\G` is past it); `text` narrows what the scalar may be. Three capture groups.
 */
function scalar(text) {
  const [plainText, double, single] = text ? [text, text, text] : [plain, '[^"\\\\]+', "[^']+"];
  return `(?<!["'])(${plainText})${valueEnd}|(?<=")(${double})${notKey('"')}|(?<=')(${single})${notKey("'")}`;
}

/**
 * One `\\G`-anchored pattern for the scalars that follow each look-behind: [look-behind, ...kinds], each
 * kind [scope name, text?], the first that matches wins. One regex per injection, so that it costs one
 * search per scan position; each look-behind tried once per scalar (with the quote, if any), since a
 * bounded look-behind is tried at every length it allows; plain scope names rather than capture
 * patterns, which would tokenize each captured text again.
 */
function scalars(...alternatives) {
  const captures = {};
  let group = 0;
  const branches = alternatives.map(([before, ...kinds]) => {
    const inner = kinds.map(([name, text]) => {
      for (let i = 0; i < 3; i++) captures[++group] = { name };
      return scalar(text);
    });
    return `(?<=${before}["']?)(?:${inner.join('|')})`;
  });
  return { match: `\\G(?:${branches.join('|')})`, captures };
}

const executorValue = afterKey(['method', 'executor_id']);
const keys = alt(KEYS);

const grammar = {
  $comment: 'Generated by scripts/grammar.mjs: edit that file and run it.',
  name: 'apflow',
  scopeName: 'source.apflow',
  patterns: [{ include: 'source.yaml' }],
  injections: {
    // Keys and the scalar values of `method:`, `executor_id:` and `parent_id:`, in every scalar YAML
    // opens (its keys are scalars too). One injection, so one selector to test at each scan position:
    // testing selectors is most of what injections cost where their patterns fail at once.
    'R:source.apflow string': {
      patterns: [
        // A plain key (`id:`), or a quoted one (`"id":`, JSON) — not the start of a quoted value ("id: x").
        { match: `\\G(?:(?<!["'])(${keys})(?=[\\t ]*:(?:[\\s,\\[\\]{}]|$))|(?<=["'])(${keys})(?=["'][\\t ]*:))`, captures: { 1: { name: KEY }, 2: { name: KEY } } },
        scalars([executorValue, [BUILTIN, alt(BUILTINS)], [EXECUTOR]], [afterKey(['parent_id']), [REF]]),
      ],
    },
    // `dependencies:` opens a region around its value (a flow sequence on the line, or the block below it),
    // which YAML still tokenizes; the region only tells the next injection where references are.
    // Selected everywhere outside scalars and the region itself (which would open again at its own start):
    // its patterns fail at once away from their `\\G`, and a short selector is cheaper to test at every scan
    // position than a narrow one (measured: docs/benchmarks.md, issue 9).
    'L:source.apflow -string -meta.dependencies.apflow': {
      patterns: [
        {
          // `dependencies: [a, b]`: YAML starts its flow sequence at the `[`, so this injection must win
          // there (left priority).
          begin: `\\G(?<=${afterKey(['dependencies'])})(?=\\[)`,
          end: '(?<=\\])',
          name: DEPENDENCIES,
          patterns: [{ include: 'source.yaml.1.2#flow-sequence' }],
        },
        {
          // `dependencies:` then a block sequence: the YAML rules below end it (their `while` fails at
          // the next key of the task), so this region simply follows them line by line.
          begin: `\\G(?<=(?:^|[\\s{,\\[])["']?dependencies["']?[\\t ]{0,3}:)(?=[\\t ]*(?:#.*)?$)`,
          while: '\\G',
          name: DEPENDENCIES,
          patterns: [{ include: 'source.yaml.1.2#block-node' }],
        },
      ],
    },
    // Inside a `dependencies` value: sequence items, and the `id`/`name` of dependency mappings (keys are
    // left out by the patterns: a plain item ends before any `:`, a quoted one is not followed by `:`).
    'R:source.apflow meta.dependencies.apflow string': {
      patterns: [scalars([itemStart, [REF]], [afterKey(['id', 'name']), [REF]], [lineStart, [REF]])],
    },
  },
};
writeFileSync(new URL('../syntaxes/apflow.tmLanguage.json', import.meta.url), JSON.stringify(grammar, null, 2) + '\n');
