// `apflow-yaml validate --fix` and `validate -` (issue 11), through the built CLI: the preferred quick
// fixes written back safely, and a tree read from standard input.
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../analysis';
import { nodeEnv } from '../../analysis/node-env';
import { NotRewritten, rewriteFile } from '../../cli/rewrite-file';
import { buildIfStale, cli, expectValidateUsageErrors, json, workspace } from './cli-helpers';

const MISTAKES = join(__dirname, '../../examples/mistakes.apflow.yaml');

/** The diagnostic lines of the text format, without the excerpts under them. */
const headers = (stdout: string) => stdout.split('\n').filter((l) => /^\S+:\d+:\d+: \w+ [a-z-]+: /.test(l));

interface ValidateDoc {
  files: { path: string; diagnostics: { code: string; severity: string }[] }[];
}

describe('CLI: validate --fix and stdin (issue 11)', function () {
  this.timeout(60_000);
  before(buildIfStale);

  let ws: ReturnType<typeof workspace>;
  let tree: string;
  beforeEach(() => {
    ws = workspace({});
    tree = join(ws.dir, 'mistakes.apflow.yaml');
    copyFileSync(MISTAKES, tree);
  });
  afterEach(() => ws.cleanup());

  describe('--fix', () => {
    it('applies the preferred fixes of examples/mistakes.apflow.yaml, says what it fixed, and reports what remains', async () => {
      const before = analyzeFile(readFileSync(MISTAKES, 'utf8'), tree, nodeEnv).diagnostics;
      const fixable = before.filter((d) => d.fixes?.some((f) => f.preferred)).map((d) => d.code);
      assert.ok(fixable.length >= 5, `the example has fixable mistakes: ${fixable.join(', ')}`);
      chmodSync(tree, 0o640);

      const r = await cli(['validate', '--fix', 'mistakes.apflow.yaml'], ws.dir);
      const after = readFileSync(tree, 'utf8');
      assert.notEqual(after, readFileSync(MISTAKES, 'utf8'));
      assert.match(after, /schemas: \{ method: rest_executor \}/);
      assert.match(after, /parent_id: import\b/);
      assert.doesNotMatch(after, /dependancies|status: completed|notify_team/);
      assert.match(r.stderr, /^apflow-yaml validate: fixed \d+ problems in mistakes\.apflow\.yaml: /);
      for (const code of new Set(fixable)) assert.ok(r.stderr.includes(code), `${code} in ${r.stderr}`);
      // What remains is exactly what the fixed file has.
      const remaining = analyzeFile(after, tree, nodeEnv).diagnostics;
      assert.deepEqual(headers(r.stdout), remaining.map((d) => `mistakes.apflow.yaml:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`));
      assert.equal(r.code, remaining.some((d) => d.severity === 'error') ? 1 : 0);
      assert.equal(statSync(tree).mode & 0o777, 0o640, 'the file keeps its mode');
      assert.deepEqual(readdirSync(ws.dir).sort(), ['exec.mjs', 'mistakes.apflow.yaml'], 'no temporary file is left');
    });

    it('leaves a file with nothing to fix untouched, and says nothing about it', async () => {
      await cli(['validate', '--fix', 'mistakes.apflow.yaml'], ws.dir);
      const fixed = statSync(tree);
      const again = await cli(['validate', '--fix', 'mistakes.apflow.yaml'], ws.dir);
      assert.equal(again.stderr, '');
      assert.equal(statSync(tree).mtimeMs, fixed.mtimeMs);
      assert.equal(statSync(tree).ino, fixed.ino);
    });

    it('fixes the file a symbolic link names and keeps the link', async () => {
      mkdirSync(join(ws.dir, 'flows'));
      symlinkSync(tree, join(ws.dir, 'flows', 'linked.apflow.yaml'));
      const r = await cli(['validate', '--fix', 'flows'], ws.dir);
      assert.match(r.stderr, /fixed \d+ problems in flows\/linked\.apflow\.yaml/);
      assert.ok(lstatSync(join(ws.dir, 'flows', 'linked.apflow.yaml')).isSymbolicLink());
      assert.match(readFileSync(tree, 'utf8'), /method: rest_executor/);
    });

    it('refuses to rewrite a file that is not valid UTF-8, or has several hard links, and leaves it as it was', async () => {
      const bytes = Buffer.concat([readFileSync(MISTAKES), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a])]);
      writeFileSync(join(ws.dir, 'latin.apflow.yaml'), bytes);
      linkSync(tree, join(ws.dir, 'twin.yaml'));
      const original = readFileSync(tree);
      const r = await cli(['validate', '--fix', 'latin.apflow.yaml', 'mistakes.apflow.yaml'], ws.dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /did not fix latin\.apflow\.yaml: it is not valid UTF-8, and writing the fixed text would change its other bytes/);
      assert.match(r.stderr, /did not fix mistakes\.apflow\.yaml: it has 2 hard links, which a rewrite would separate/);
      assert.ok(readFileSync(join(ws.dir, 'latin.apflow.yaml')).equals(bytes));
      assert.ok(readFileSync(tree).equals(original));
      // The report is of the files as they are.
      assert.ok(headers(r.stdout).some((l) => l.startsWith('latin.apflow.yaml:') && l.includes('unknown-executor')));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });

    it('never writes over a file that changed after it was read', () => {
      writeFileSync(tree, 'tasks: []\n');
      assert.throws(() => rewriteFile(tree, readFileSync(MISTAKES, 'utf8'), 'fixed\n'), (e: Error) => e instanceof NotRewritten && /it changed while it was being fixed: run the command again/.test(e.message));
      assert.equal(readFileSync(tree, 'utf8'), 'tasks: []\n');
      assert.deepEqual(readdirSync(ws.dir).sort(), ['exec.mjs', 'mistakes.apflow.yaml']);
    });

    it('applies overlapping fixes over several passes: a dependency both duplicated and missing', async () => {
      writeFileSync(
        join(ws.dir, 'dup.apflow.yaml'),
        'tasks:\n  - id: root\n    name: Root\n    schemas: { method: aggregate_results_executor }\n    dependencies: [a, a, a]\n  - id: a\n    name: A\n    parent_id: root\n    schemas: { method: system_info_executor }\n',
      );
      const r = await cli(['validate', '--fix', 'dup.apflow.yaml'], ws.dir);
      assert.equal(r.code, 0, r.stdout);
      assert.match(readFileSync(join(ws.dir, 'dup.apflow.yaml'), 'utf8'), /dependencies: \[a\]\n/);
      assert.match(r.stderr, /fixed 2 problems in dup\.apflow\.yaml: duplicate-dependency \(2\)/);
    });
  });

  describe('validate -', () => {
    it('reads the tree from standard input, as <stdin> without a name', async () => {
      const r = await cli(['validate', '-', '--json'], ws.dir, {}, readFileSync(MISTAKES));
      assert.equal(r.code, 1);
      const doc = json<ValidateDoc>(r);
      assert.equal(doc.files[0].path, '<stdin>');
      const core = analyzeFile(readFileSync(MISTAKES, 'utf8'), '<stdin>', nodeEnv).diagnostics;
      assert.deepEqual(doc.files[0].diagnostics.map((d) => d.code), core.map((d) => d.code));
      // No folder to look in: an executor module cannot be checked.
      assert.ok(!doc.files[0].diagnostics.some((d) => d.code === 'executor-module-missing'));
    });

    it('uses --stdin-filename for the path printed and for the executor modules relative to it', async () => {
      mkdirSync(join(ws.dir, 'flows', 'executors'), { recursive: true });
      writeFileSync(join(ws.dir, 'flows', 'executors', 'etl.mjs'), 'export function storeUsers() {}\n');
      const input = readFileSync(MISTAKES);
      const inFlows = await cli(['validate', '-', '--stdin-filename', 'flows/m.apflow.yaml'], ws.dir, {}, input);
      assert.ok(headers(inFlows.stdout).every((l) => l.startsWith('flows/m.apflow.yaml:')), inFlows.stdout);
      assert.doesNotMatch(inFlows.stdout, /executor-module-missing/);
      const elsewhere = await cli(['validate', '-', '--stdin-filename', 'm.apflow.yaml', '--format', 'github'], ws.dir, {}, input);
      assert.match(elsewhere.stdout, /^::error file=m\.apflow\.yaml,.*title=executor-module-missing::/m);
      assert.deepEqual(readdirSync(join(ws.dir, 'flows')), ['executors'], 'nothing is written');
    });

    it('reports an empty input as the empty file it is, not as an error of the command', async () => {
      const r = await cli(['validate', '-'], ws.dir, {}, '');
      assert.equal(r.code, 1);
      assert.equal(r.stderr, '');
      assert.deepEqual(r.stdout.split('\n').slice(1), ['1 | ', '  | ^', '1 error, 0 warnings in 1 file', '']);
      assert.match(r.stdout, /^<stdin>:1:1: error schema: /);
    });

    it('refuses other paths with -, --stdin-filename without -, and --fix of standard input', async () => {
      await expectValidateUsageErrors(ws.dir, [
        [['-', 'mistakes.apflow.yaml'], '`-` reads one tree from standard input: give no other path with it'],
        [['mistakes.apflow.yaml', '--stdin-filename', 'x.apflow.yaml'], '--stdin-filename names the tree read from standard input: give `-` as the path'],
        [['-', '--fix'], '--fix writes the fixed file, and standard input is not a file: fix the file itself'],
      ]);
    });
  });
});
