// Robustness over JSON-RPC: thousands of seeded random edits (YAML punctuation, deletions, unicode)
// interleaved with every kind of request at random positions; random bytes; a 50,000-task file; and
// cancellation. The server must answer every request without an internal error and never exit, and
// the diagnostics must come back to the expected set when the text is restored.
import assert from 'node:assert/strict';
import { CancellationTokenSource, type Diagnostic, type Position } from 'vscode-languageserver-protocol/node';
import { generateTree } from '../bench/generate';
import { random as seededRandom } from '../fixtures/random';
import { LspClient } from './lsp-client';
import { CHAIN, SPEC_EXAMPLE, Workspace } from './fixtures';

const SEED = 20261128;
const EDITS = 3000;

/** Errors a well-behaved server may answer with: a cancelled request, a refused rename. */
const ACCEPTABLE_ERRORS = new Set([-32800, -32803]);

const PIECES = [
  ':', ': ', '- ', '-', '[', ']', '{', '}', ',', '"', "'", '#', '# apflow-disable-next-line', '&a ', '*a', '<<: *a', '|', '>', '\n', '\n  ', '\n    ', '  ', '\t', '---\n', '...', '? ', '!!str ',
  '%YAML 1.2\n', 'é', '😀', '中文', '\u200b', '\r\n', 'tasks:', 'dependencies: [', 'parent_id: ', 'schemas: { method: ', 'id: ', 'name: x', '  - id: n\n    name: N\n', 'inputs:\n      command: 1\n',
  'executors:\n  e: { module: ./m.mjs }\n', '0', 'null', 'true', '~', '"\\u', '@', '`',
];

interface Doc {
  uri: string;
  text: string;
}

function positionIn(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe('language server: robustness', function () {
  this.timeout(120000);
  let client: LspClient;
  let ws: Workspace;
  const errors: string[] = [];

  before(async () => {
    ws = new Workspace();
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
    ws.remove();
  });

  /** Sends a request and records any error other than a cancellation or a refusal. */
  async function ask(method: string, params: unknown): Promise<unknown> {
    try {
      return await client.connection.sendRequest(method, params);
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === undefined || !ACCEPTABLE_ERRORS.has(code)) errors.push(`${method}: ${code} ${(error as Error).message}`);
      return null;
    }
  }

  /** One request of every kind at `position`, the way an editor fires them. */
  async function everything(doc: Doc, position: Position, random: () => number): Promise<void> {
    const at = { textDocument: { uri: doc.uri }, position };
    const range = { start: position, end: position };
    const lenses = (await ask('textDocument/codeLens', { textDocument: { uri: doc.uri } })) as { range: unknown; data?: unknown }[] | null;
    const items = (await ask('textDocument/prepareCallHierarchy', at)) as unknown[] | null;
    await Promise.all([
      ask('textDocument/completion', at),
      ask('textDocument/hover', at),
      ask('textDocument/definition', at),
      ask('textDocument/references', { ...at, context: { includeDeclaration: random() < 0.5 } }),
      ask('textDocument/prepareRename', at),
      ask('textDocument/rename', { ...at, newName: random() < 0.5 ? 'renamed' : 'cpu' }),
      ask('textDocument/documentSymbol', { textDocument: { uri: doc.uri } }),
      ask('textDocument/codeAction', { textDocument: { uri: doc.uri }, range, context: { diagnostics: [] as Diagnostic[] } }),
      ...(lenses?.length ? [ask('codeLens/resolve', lenses[Math.floor(random() * lenses.length)])] : []),
      ...(items?.length ? [ask('callHierarchy/incomingCalls', { item: items[0] }), ask('callHierarchy/outgoingCalls', { item: items[0] })] : []),
    ]);
  }

  function randomEdit(doc: Doc, random: () => number): { range: { start: Position; end: Position }; text: string } {
    const start = Math.floor(random() * (doc.text.length + 1));
    const kind = random();
    const end = kind < 0.35 ? Math.min(doc.text.length, start + 1 + Math.floor(random() * 20)) : start;
    const text = kind < 0.2 ? '' : PIECES[Math.floor(random() * PIECES.length)];
    const change = { range: { start: positionIn(doc.text, start), end: positionIn(doc.text, end) }, text };
    doc.text = doc.text.slice(0, start) + text + doc.text.slice(end);
    return change;
  }

  const summary = (d: Diagnostic[]) => d.map((x) => `${String(x.code)} ${x.range.start.line}:${x.range.start.character} ${x.message}`);

  it(`survives ${EDITS} random edits interleaved with requests, and its diagnostics come back when the text is restored`, async () => {
    const random = seededRandom(SEED);
    const original = SPEC_EXAMPLE + CHAIN.replace('tasks:\n', '').replace(/id: root/g, 'id: chain_root').replace(/parent_id: root/g, 'parent_id: chain_root').replace('name: Root', 'name: Chain root');
    const doc: Doc = { uri: ws.uri('random.apflow.yaml'), text: original };
    await client.open(doc.uri, doc.text);
    const expected = summary((await client.current(doc.uri)).diagnostics);
    assert.ok(expected.length > 0, 'the base text has diagnostics to come back to');
    for (let i = 0; i < EDITS; i++) {
      // Edits arrive in bursts, like typing; requests follow some of them.
      await client.change(doc.uri, [randomEdit(doc, random)]);
      if (i % 25 === 24) {
        await everything(doc, positionIn(doc.text, Math.floor(random() * (doc.text.length + 1))), random);
        assert.ok(client.alive, `the server exited after edit ${i}: ${client.stderr}`);
      }
      if (i % 500 === 499) {
        // Back to the original now and then, so that edits do not only pile up.
        await client.replaceAll(doc.uri, original);
        doc.text = original;
      }
    }
    await client.current(doc.uri);
    await client.replaceAll(doc.uri, original);
    assert.deepEqual(summary((await client.current(doc.uri)).diagnostics), expected);
    assert.deepEqual(errors, []);
    assert.deepEqual(client.logs, [], 'no feature or analysis threw');
    assert.ok(client.alive);
  });

  it('answers on random bytes and a file that is only punctuation', async () => {
    const random = seededRandom(SEED + 1);
    const bytes = Array.from({ length: 4000 }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
    for (const [name, text] of [['bytes.apflow.yaml', bytes], ['punct.apflow.yaml', PIECES.join('')], ['bytes.apflow.json', bytes]] as const) {
      const doc = { uri: ws.uri(name), text };
      await client.open(doc.uri, text);
      await client.current(doc.uri);
      for (let k = 0; k < 10; k++) await everything(doc, positionIn(text, Math.floor(random() * text.length)), random);
      await client.close(doc.uri);
    }
    assert.deepEqual(errors, []);
    assert.ok(client.alive);
  });

  it('honours cancelled requests', async () => {
    const doc = { uri: ws.uri('cancel.apflow.yaml'), text: SPEC_EXAMPLE };
    await client.open(doc.uri, doc.text);
    await client.current(doc.uri);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const source = new CancellationTokenSource();
        const pending = client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: doc.uri } }, source.token);
        source.cancel();
        try {
          await pending;
          return 'answered';
        } catch (error) {
          return (error as { code?: number }).code === -32800 ? 'cancelled' : `error ${(error as Error).message}`;
        }
      }),
    );
    assert.ok(outcomes.every((o) => o === 'answered' || o === 'cancelled'), outcomes.join(', '));
    assert.ok(outcomes.includes('cancelled'), 'a request cancelled before it was handled is not computed');
    await client.close(doc.uri);
  });

  it('answers every request on a 50,000-task file', async () => {
    const { text } = generateTree(50000);
    const doc = { uri: ws.uri('huge.apflow.yaml'), text };
    await client.open(doc.uri, text);
    // A clean tree, but one of 50,000 tasks: the only diagnostic is the advice to split it.
    assert.deepEqual((await client.current(doc.uri, 110000)).diagnostics.map((d) => d.code), ['tree-too-large']);
    const random = seededRandom(SEED + 2);
    for (let k = 0; k < 3; k++) await everything(doc, positionIn(text, Math.floor(random() * text.length)), random);
    const at = positionIn(text, text.indexOf('dependencies: [', text.length >> 1) + 'dependencies: ['.length);
    await client.change(doc.uri, [{ range: { start: at, end: at }, text: 'nope, ' }]);
    const after = await client.current(doc.uri, 60000);
    assert.deepEqual(after.diagnostics.map((d) => d.code).filter((c) => c === 'unknown-reference'), ['unknown-reference']);
    assert.deepEqual(errors, []);
    assert.deepEqual(client.logs, []);
    await client.close(doc.uri);
    assert.ok(client.alive);
  });
});
