// `apflow-yaml validate` (spec 6.1–6.3), run as users and CI run it: the built dist/cli.js under node.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../analysis';
import { nodeEnv } from '../../analysis/node-env';
import { buildIfStale, cli, json, workspace } from './cli-helpers';

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  task: string | null;
}
interface ValidateDoc {
  files: { path: string; diagnostics: JsonDiagnostic[] }[];
  errors: number;
  warnings: number;
}

const CLEAN = `tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [a]
  - id: a
    name: A
    parent_id: root
    schemas: { method: system_info_executor }
`;

/** Errors (a cycle), warnings (a runtime field, an unknown key), information (a remote executor). */
const MIXED = `tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [a, mail]
  - id: a
    name: A
    parent_id: root
    schemas: { method: system_info_executor }
    dependencies: [b]
    status: done
  - id: b
    name: B
    parent_id: root
    schemas: { method: system_info_executor }
    dependencies: [a]
    colour: blue
  - id: mail
    name: Mail
    parent_id: root
    schemas: { method: send_email_executor }
    inputs: { to: a@b.c, subject: Hi }
`;

/** Only warnings: one runtime field. */
const WARNED = CLEAN.replace('    name: A\n', '    name: A\n    progress: 1\n');

const DIAGNOSTIC_KEYS = ['code', 'severity', 'message', 'range', 'task'];
const SUMMARY = /^(\d+) errors?, (\d+) warnings?(?:, \d+ information)?(?:, \d+ hints?)? in (\d+) files?$/;
/** The diagnostic lines of the text format (each followed by its source line and caret). */
const HEADERS = /^\S+:\d+:\d+: (?:error|warning|information|hint) /;

describe('CLI: validate (spec 6.1–6.3)', function () {
  this.timeout(30_000);
  before(buildIfStale);

  let ws: ReturnType<typeof workspace>;
  beforeEach(() => {
    ws = workspace({ 'clean.apflow.yaml': CLEAN, 'mixed.apflow.yaml': MIXED, 'warned.apflow.yaml': WARNED });
    mkdirSync(join(ws.dir, 'flows'));
    writeFileSync(join(ws.dir, 'flows', 'etl.apflow.yaml'), MIXED);
  });
  afterEach(() => ws.cleanup());

  describe('--json (spec 6.3)', () => {
    it('prints one document: files with path and diagnostics, then the error and warning counts', async () => {
      const r = await cli(['validate', 'flows/etl.apflow.yaml', '--json'], ws.dir);
      assert.equal(r.code, 1, r.stderr);
      const doc = json<ValidateDoc>(r);
      assert.deepEqual(Object.keys(doc), ['files', 'errors', 'warnings']);
      assert.equal(doc.files.length, 1);
      assert.deepEqual(Object.keys(doc.files[0]), ['path', 'diagnostics']);
      assert.equal(doc.files[0].path, 'flows/etl.apflow.yaml');
      for (const d of doc.files[0].diagnostics) {
        assert.deepEqual(Object.keys(d), DIAGNOSTIC_KEYS);
        assert.deepEqual(Object.keys(d.range), ['start', 'end']);
        assert.deepEqual(Object.keys(d.range.start), ['line', 'character']);
        assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
        assert.ok(d.task === null || typeof d.task === 'string');
      }
      const diagnostics = doc.files[0].diagnostics;
      assert.equal(doc.errors, diagnostics.filter((d) => d.severity === 'error').length);
      assert.equal(doc.warnings, diagnostics.filter((d) => d.severity === 'warning').length);
      assert.ok(doc.errors >= 2 && doc.warnings >= 2, JSON.stringify(diagnostics.map((d) => d.code)));
      assert.ok(diagnostics.some((d) => d.severity === 'information'), 'information diagnostics are listed too');
    });

    it('prints exactly what the analysis core says, with 0-based positions', async () => {
      const r = await cli(['validate', 'mixed.apflow.yaml', '--json'], ws.dir);
      const doc = json<ValidateDoc>(r);
      const core = analyzeFile(MIXED, join(ws.dir, 'mixed.apflow.yaml'), nodeEnv).diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        range: d.range,
        task: d.task,
      }));
      assert.deepEqual(doc.files[0].diagnostics, core);
      const cycle = doc.files[0].diagnostics.find((d) => d.code === 'dependency-cycle' && d.task === 'a');
      // `    dependencies: [b]` is line 9 (0-based); `b` starts at character 19.
      assert.deepEqual(cycle?.range, { start: { line: 9, character: 19 }, end: { line: 9, character: 20 } });
    });

    it('lists a clean file with no diagnostics', async () => {
      const r = await cli(['validate', '--json', 'clean.apflow.yaml'], ws.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(json(r), { files: [{ path: 'clean.apflow.yaml', diagnostics: [] }], errors: 0, warnings: 0 });
    });
  });

  describe('text output (spec 6.2)', () => {
    it('prints path:line:col: severity code: message per diagnostic, 1-based, then the summary', async () => {
      const r = await cli(['validate', 'mixed.apflow.yaml'], ws.dir);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      const core = analyzeFile(MIXED, join(ws.dir, 'mixed.apflow.yaml'), nodeEnv).diagnostics;
      assert.deepEqual(
        lines.filter((l) => HEADERS.test(l)),
        core.map((d) => `mixed.apflow.yaml:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`),
      );
      assert.ok(lines.includes(`mixed.apflow.yaml:10:20: error dependency-cycle: ${core.find((d) => d.code === 'dependency-cycle')?.message}`));
      const summary = SUMMARY.exec(lines[lines.length - 1]);
      assert.ok(summary, lines[lines.length - 1]);
      const errors = core.filter((d) => d.severity === 'error').length;
      const warnings = core.filter((d) => d.severity === 'warning').length;
      assert.deepEqual(summary.slice(1).map(Number), [errors, warnings, 1]);
    });

    it('sums over several files', async () => {
      const r = await cli(['validate', 'clean.apflow.yaml', 'warned.apflow.yaml'], ws.dir);
      assert.equal(r.code, 0);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^warned\.apflow\.yaml:\d+:5: warning runtime-field: /);
      assert.deepEqual(SUMMARY.exec(lines[3])?.slice(1).map(Number), [0, 1, 2]);
      assert.equal(lines.length, 4, 'one diagnostic (with its source line and caret), then the summary');
    });
  });

  describe('exit status (spec 6.1)', () => {
    it('is 0 without errors, whatever the warnings, and 1 with errors', async () => {
      assert.equal((await cli(['validate', 'clean.apflow.yaml'], ws.dir)).code, 0);
      assert.equal((await cli(['validate', 'warned.apflow.yaml'], ws.dir)).code, 0);
      assert.equal((await cli(['validate', 'mixed.apflow.yaml'], ws.dir)).code, 1);
      assert.equal((await cli(['validate', 'clean.apflow.yaml', 'mixed.apflow.yaml'], ws.dir)).code, 1);
    });

    it('is 1 when warnings exceed --max-warnings', async () => {
      assert.equal((await cli(['validate', 'warned.apflow.yaml', '--max-warnings', '0'], ws.dir)).code, 1);
      assert.equal((await cli(['validate', 'warned.apflow.yaml', '--max-warnings', '1'], ws.dir)).code, 0);
      assert.equal((await cli(['validate', '--max-warnings=1', 'warned.apflow.yaml', 'warned.apflow.yaml'], ws.dir)).code, 1);
      // Information and hints are not warnings.
      const remote = CLEAN.replace('system_info_executor }\n', 'scrape_executor }\n    inputs: { url: "https://example.com" }\n');
      writeFileSync(join(ws.dir, 'remote.apflow.yaml'), remote);
      const r = await cli(['validate', 'remote.apflow.yaml', '--max-warnings', '0', '--json'], ws.dir);
      assert.deepEqual(
        json<ValidateDoc>(r).files[0].diagnostics.map((d) => d.severity),
        ['information'],
      );
      assert.equal(r.code, 0);
    });

    it('takes the tree-too-large limit from --max-tree-size (information: the status stays 0)', async () => {
      const r = await cli(['validate', 'clean.apflow.yaml', '--max-tree-size', '1', '--json'], ws.dir);
      const large = json<ValidateDoc>(r).files[0].diagnostics.filter((d) => d.code === 'tree-too-large');
      assert.deepEqual(large.map((d) => [d.severity, /more than the limit of 1:/.test(d.message)]), [['information', true]]);
      assert.equal(r.code, 0);
      const fine = await cli(['validate', 'clean.apflow.yaml', '--max-tree-size', '100', '--json'], ws.dir);
      assert.deepEqual(json<ValidateDoc>(fine).files[0].diagnostics.filter((d) => d.code === 'tree-too-large'), []);
    });

    it('is 2 for an unreadable path, after reporting the readable ones', async () => {
      const r = await cli(['validate', 'clean.apflow.yaml', 'missing.apflow.yaml', '--json'], ws.dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /missing\.apflow\.yaml/);
      assert.deepEqual(
        json<ValidateDoc>(r).files.map((f) => f.path),
        ['clean.apflow.yaml'],
      );
      assert.equal((await cli(['validate', 'no/such/dir'], ws.dir)).code, 2);
    });

    it('is 2 for usage mistakes', async () => {
      for (const args of [['frobnicate'], [], ['validate', '--bogus'], ['validate', '--max-warnings', 'many'], ['validate', '--max-warnings', '-1'], ['validate', '--max-tree-size', '0'], ['validate', '--max-tree-size', 'big']]) {
        const r = await cli(args, ws.dir);
        assert.equal(r.code, 2, `apflow-yaml ${args.join(' ')}`);
        assert.ok(r.stderr.length > 0 || r.stdout.includes('Usage'), `apflow-yaml ${args.join(' ')} explains itself`);
      }
    });
  });

  describe('finding files (spec 6.1)', () => {
    beforeEach(() => {
      const put = (path: string, text: string) => {
        mkdirSync(join(ws.dir, path, '..'), { recursive: true });
        writeFileSync(join(ws.dir, path), text);
      };
      put('tree/a.apflow.yaml', CLEAN);
      put('tree/sub/b.apflow.yml', WARNED);
      put('tree/sub/deeper/c.apflow.json', JSON.stringify([{ id: 'root', name: 'Root', schemas: { method: 'system_info_executor' } }]));
      put('tree/node_modules/pkg/skip.apflow.yaml', MIXED);
      put('tree/.hidden/skip.apflow.yaml', MIXED);
      put('tree/sub/.git/skip.apflow.yml', MIXED);
      put('tree/plain.yaml', MIXED);
      put('tree/notes.apflow.txt', MIXED);
    });

    it('searches a directory for *.apflow.{yaml,yml,json}, skipping node_modules and dot-directories', async () => {
      const r = await cli(['validate', 'tree', '--json'], ws.dir);
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(json<ValidateDoc>(r).files.map((f) => f.path).sort(), ['tree/a.apflow.yaml', 'tree/sub/b.apflow.yml', 'tree/sub/deeper/c.apflow.json']);
    });

    it('searches the current directory when no path is given', async () => {
      const r = await cli(['validate', '--json'], join(ws.dir, 'tree'));
      assert.equal(r.code, 0);
      assert.deepEqual(json<ValidateDoc>(r).files.map((f) => f.path).sort(), ['a.apflow.yaml', 'sub/b.apflow.yml', 'sub/deeper/c.apflow.json']);
      const text = await cli(['validate'], join(ws.dir, 'tree'));
      assert.match(text.stdout.trimEnd().split('\n').pop() ?? '', /^0 errors, 1 warning in 3 files$/);
    });

    it('analyses a file named explicitly, whatever its name', async () => {
      const r = await cli(['validate', 'tree/plain.yaml', '--json'], ws.dir);
      assert.equal(r.code, 1);
      assert.equal(json<ValidateDoc>(r).files[0].path, 'tree/plain.yaml');
    });

    it('refuses an empty directory with exit 2: a CI path typo must not pass for having checked nothing', async () => {
      mkdirSync(join(ws.dir, 'empty'));
      const r = await cli(['validate', 'empty'], ws.dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no task tree files .* in empty/);
    });
  });

  describe('--version and --help', () => {
    it('prints the package version', async () => {
      const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
      const r = await cli(['--version'], ws.dir);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trim(), version);
    });

    it('prints usage with every command, and the validate usage', async () => {
      const r = await cli(['--help'], ws.dir);
      assert.equal(r.code, 0);
      for (const command of ['validate', 'run', 'retry', 'history', 'show', 'export']) assert.match(r.stdout, new RegExp(`apflow-yaml ${command}\\b`));
      const v = await cli(['validate', '--help'], ws.dir);
      assert.equal(v.code, 0);
      assert.match(v.stdout, /validate \[PATH… \| -\] \[--format text\|json\|github\|sarif\] \[--json\] \[--quiet\] \[--fix\] \[--max-warnings N\] \[--max-tree-size N\] \[--target 0\.18\|0\.20\] \[--stdin-filename NAME\]/);
    });
  });
});
