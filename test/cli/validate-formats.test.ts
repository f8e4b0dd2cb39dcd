// `apflow-yaml validate --format text|json|github|sarif` and `--quiet` (issue 11), through the built CLI:
// what GitHub Actions, SARIF consumers and a person at a terminal read.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Ajv from 'ajv';
import { analyzeFile, diagnosticSections } from '../../analysis';
import { nodeEnv } from '../../analysis/node-env';
import { validateCommand } from '../../cli/commands/validate';
import { excerpt } from '../../cli/formats/text';
import { buildIfStale, cli, expectValidateUsageErrors, json, workspace } from './cli-helpers';

/** One diagnostic of each severity: an unused declaration, a priority out of range, a server-only executor, a runtime field. */
const FOUR = `executors:
  spare: { module: ./exec.mjs, export: ok }
tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [probe, mail]
  - id: probe
    name: Probe
    parent_id: root
    schemas: { method: system_info_executor }
    priority: 7
  - id: mail
    name: Mail
    parent_id: root
    schemas: { method: send_email_executor }
    inputs: { to: a@b.c, subject: Hi }
    timeout: 30
    progress: 1
`;

/** 1-based line and column of the first `needle` in `text`, and the 0-based exclusive end column. */
function locate(text: string, needle: string): { line: number; col: number; end: number } {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split('\n');
  const col = before[before.length - 1].length + 1;
  return { line: before.length, col, end: col - 1 + needle.length };
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; shortDescription: { text: string }; helpUri?: string }[] } };
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
    }[];
  }[];
}

describe('CLI: validate output formats (issue 11)', function () {
  this.timeout(30_000);
  before(buildIfStale);

  let ws: ReturnType<typeof workspace>;
  beforeEach(() => {
    ws = workspace({ 'four.apflow.yaml': FOUR });
  });
  afterEach(() => ws.cleanup());
  const core = () => analyzeFile(FOUR, join(ws.dir, 'four.apflow.yaml'), nodeEnv).diagnostics;

  it('the tree has one diagnostic of each severity (the premise of the tests below)', () => {
    assert.deepEqual(
      core().map((d) => `${d.severity} ${d.code}`),
      ['hint unused-executor', 'error schema', 'information remote-executor', 'warning runtime-field'],
    );
  });

  describe('text', () => {
    it('puts the source line and a caret under each diagnostic, and counts every severity', async () => {
      const r = await cli(['validate', 'four.apflow.yaml'], ws.dir);
      assert.equal(r.code, 1);
      const at = locate(FOUR, 'send_email_executor');
      const lines = r.stdout.split('\n');
      const i = lines.findIndex((l) => l.startsWith(`four.apflow.yaml:${at.line}:${at.col}: information remote-executor: `));
      assert.ok(i >= 0, r.stdout);
      assert.equal(lines[i + 1], `${at.line} |     schemas: { method: send_email_executor }`);
      assert.equal(lines[i + 2], `${' '.repeat(String(at.line).length)} | ${' '.repeat(at.col - 1)}^${'~'.repeat('send_email_executor'.length - 1)}`);
      assert.equal(lines[lines.length - 2], '1 error, 1 warning, 1 information, 1 hint in 1 file');
      assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour in a pipe');
    });

    it('aligns the caret after tabs and wide characters, and shows control characters as �', async () => {
      const tree = FOUR.replace('  - id: probe\n    name: Probe\n', '  - id: probe\n    name: "\t漢字\u0007 Probe" # 😀\n').replace('    priority: 7\n', '    priority: 7\n    descr: x\n');
      writeFileSync(join(ws.dir, 'wide.apflow.yaml'), `# 漢字\t😀\n${tree}`);
      const r = await cli(['validate', 'wide.apflow.yaml'], ws.dir);
      const lines = r.stdout.split('\n');
      const i = lines.findIndex((l) => / warning unknown-key: /.test(l));
      assert.ok(i >= 0, r.stdout);
      assert.equal(lines[i + 1], '14 |     descr: x');
      assert.equal(lines[i + 2], '   |     ^~~~~');
      // The line with the tab and the wide characters, measured directly.
      assert.deepEqual(excerpt('\t漢字\u0007 x', 5, 6), { source: '    漢字\uFFFD x', caret: '          ^' });
      assert.deepEqual(excerpt('a😀b', 3, 4), { source: 'a😀b', caret: '   ^' });
      assert.deepEqual(excerpt('e\u0301x', 2, 3), { source: 'e\u0301x', caret: ' ^' }, 'a combining accent takes no cell');
    });

    it('prints no control character a tree holds, in the message or the excerpt', async () => {
      writeFileSync(join(ws.dir, 'esc.apflow.yaml'), 'tasks:\n  - id: root\n    name: Root\n    schemas: { method: system_info_executor }\n    dependencies: ["\\e[2J\\u0007gone"] # \x1b[31m\n');
      const r = await cli(['validate', 'esc.apflow.yaml'], ws.dir);
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.stdout, /[\x00-\x09\x0b-\x1f\x7f]/);
      assert.match(r.stdout, /dependency '\uFFFD\[2J\uFFFDgone' of task 'root'/);
      assert.match(r.stdout, /# \uFFFD\[31m\n/);
    });

    it('cuts a very long line around the caret, and marks the cuts', async () => {
      const line = `${'a'.repeat(5000)}TARGET${'b'.repeat(5000)}`;
      const { source, caret } = excerpt(line, 5000, 5006);
      assert.ok(source.startsWith('…') && source.endsWith('…'), source);
      assert.ok(source.length <= 122, `${source.length} characters`);
      assert.equal(source.slice(caret.indexOf('^'), caret.indexOf('^') + 6), 'TARGET');
      assert.match(caret, /^ +\^~~~~~$/);
    });

    it('is in colour on a terminal, and not with NO_COLOR or in a pipe', async () => {
      const run = async (isTTY: boolean, env: NodeJS.ProcessEnv) => {
        let out = '';
        const stdout = Object.assign(new Writable({ write: (chunk, _e, done) => ((out += chunk), done()) }), { isTTY });
        const stderr = new Writable({ write: (_c, _e, done) => done() });
        const code = await validateCommand(['four.apflow.yaml'], { stdout, stderr, cwd: ws.dir, env });
        return { code, out };
      };
      const tty = await run(true, {});
      assert.equal(tty.code, 1);
      assert.match(tty.out, /: \x1b\[31merror\x1b\[0m schema: /);
      assert.match(tty.out, /\x1b\[31m +\^\x1b\[0m\n/, 'the caret in the colour of its severity');
      assert.doesNotMatch((await run(true, { NO_COLOR: '1' })).out, /\x1b\[/);
      assert.doesNotMatch((await run(true, { TERM: 'dumb' })).out, /\x1b\[/);
      assert.doesNotMatch((await run(false, {})).out, /\x1b\[/);
    });
  });

  describe('json', () => {
    it('--format json is --json, to the byte', async () => {
      const a = await cli(['validate', 'four.apflow.yaml', '--json'], ws.dir);
      const b = await cli(['validate', 'four.apflow.yaml', '--format', 'json'], ws.dir);
      assert.equal(a.stdout, b.stdout);
      assert.equal(a.code, b.code);
      assert.deepEqual(Object.keys(json(a)), ['files', 'errors', 'warnings']);
    });
  });

  describe('github', () => {
    it('prints one workflow command per diagnostic: 1-based, the end column inclusive, the code as title', async () => {
      const r = await cli(['validate', 'four.apflow.yaml', '--format', 'github'], ws.dir);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      const diagnostics = core();
      assert.equal(lines.length, diagnostics.length + 1);
      assert.deepEqual(
        lines.slice(0, -1).map((l) => /^::(\w+) /.exec(l)?.[1]),
        ['notice', 'error', 'notice', 'warning'],
      );
      const at = locate(FOUR, 'send_email_executor');
      const remote = diagnostics.find((d) => d.code === 'remote-executor');
      assert.equal(lines[2], `::notice file=four.apflow.yaml,line=${at.line},col=${at.col},endLine=${at.line},endColumn=${at.end},title=remote-executor::${remote?.message}`);
      assert.match(lines[1], /^::error file=four\.apflow\.yaml,line=12,col=15,endLine=12,endColumn=15,title=schema::task 'probe': /);
      assert.equal(lines[lines.length - 1], '1 error, 1 warning, 1 information, 1 hint in 1 file');
    });

    it('escapes % and line breaks in the message, and : and , in properties too', async () => {
      const tree = `tasks:\n  - id: root\n    name: Root\n    schemas: { method: system_info_executor }\n    dependencies: ["50%\\nmore"]\n`;
      writeFileSync(join(ws.dir, 'a,b:c.apflow.yaml'), tree);
      const r = await cli(['validate', 'a,b:c.apflow.yaml', '--format', 'github'], ws.dir);
      const [line] = r.stdout.split('\n');
      assert.match(line, /^::error file=a%2Cb%3Ac\.apflow\.yaml,line=5,col=20,/);
      assert.ok(line.includes("dependency '50%25%0Amore' of task 'root'"), line);
      assert.ok(!line.includes('\r'));
    });
  });

  describe('sarif', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../fixtures/sarif-schema-2.1.0.json'), 'utf8')) as object;
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      formats: { uri: (s: string) => URL.canParse(s), 'uri-reference': (s: string) => URL.canParse(s, 'file:///'), 'date-time': (s: string) => !Number.isNaN(Date.parse(s)) },
    });
    const validate = ajv.compile(schema);

    it('validates against the SARIF 2.1.0 JSON Schema, clean or not', async () => {
      assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'the schema refuses a driver without a name');
      writeFileSync(join(ws.dir, 'clean.apflow.yaml'), `tasks:\n  - id: root\n    name: Root\n    schemas: { method: system_info_executor }\n`);
      for (const args of [['four.apflow.yaml'], ['clean.apflow.yaml'], ['.']]) {
        const r = await cli(['validate', ...args, '--format', 'sarif'], ws.dir);
        const log = json(r);
        assert.ok(validate(log), `${args.join(' ')}: ${ajv.errorsText(validate.errors)}`);
      }
    });

    it('has one run: the tool with its rules, and one result per diagnostic', async () => {
      const r = await cli(['validate', 'four.apflow.yaml', '--format', 'sarif'], ws.dir);
      assert.equal(r.code, 1);
      const log = json<SarifLog>(r);
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      const [{ tool, results }] = log.runs;
      const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
      assert.equal(tool.driver.name, 'apflow-yaml');
      assert.equal(tool.driver.version, version);
      assert.match(tool.driver.informationUri, /^file:\/\/.*\/docs\/cli\.md$/);
      // Every documented code is a rule, with its section of docs/diagnostics.md.
      const docs = join(__dirname, '../../docs/diagnostics.md');
      const sections = diagnosticSections(readFileSync(docs, 'utf8'));
      assert.deepEqual(tool.driver.rules.map((rule) => rule.id), [...sections.keys()]);
      for (const rule of tool.driver.rules) {
        assert.ok(rule.shortDescription.text.length > 10, rule.id);
        assert.equal(rule.helpUri, `file://${docs}#${rule.id}`);
      }
      assert.equal(tool.driver.rules.find((rule) => rule.id === 'self-dependency')?.shortDescription.text, 'A task lists itself in `dependencies`; it could never start.');

      const diagnostics = core();
      assert.deepEqual(results.map((x) => [x.ruleId, x.level, x.message.text]), diagnostics.map((d) => [d.code, { error: 'error', warning: 'warning', information: 'note', hint: 'note' }[d.severity], d.message]));
      for (const x of results) assert.equal(tool.driver.rules[x.ruleIndex as number].id, x.ruleId);
      const at = locate(FOUR, 'send_email_executor');
      const remote = results.find((x) => x.ruleId === 'remote-executor');
      assert.deepEqual(remote?.locations[0].physicalLocation, {
        artifactLocation: { uri: 'four.apflow.yaml', uriBaseId: '%SRCROOT%' },
        // SARIF's end column is the one after the region.
        region: { startLine: at.line, startColumn: at.col, endLine: at.line, endColumn: at.end + 1 },
      });
    });

    it('gives paths relative to the working folder, URI-encoded', async () => {
      writeFileSync(join(ws.dir, 'my flow.apflow.yaml'), FOUR);
      const r = await cli(['validate', 'my flow.apflow.yaml', '--format', 'sarif'], ws.dir);
      const uris = json<SarifLog>(r).runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri);
      assert.deepEqual([...new Set(uris)], ['my%20flow.apflow.yaml']);
    });
  });

  describe('--quiet', () => {
    it('reports errors only, in every format, with the exit status unchanged', async () => {
      const text = await cli(['validate', 'four.apflow.yaml', '--quiet'], ws.dir);
      assert.equal(text.code, 1);
      assert.deepEqual(text.stdout.split('\n').filter((l) => /^four\.apflow\.yaml:\d+:\d+: /.test(l)).map((l) => l.split(' ')[1]), ['error']);
      assert.match(text.stdout, /\n1 error, 0 warnings in 1 file\n$/);
      const doc = json<{ files: { diagnostics: { severity: string }[] }[] }>(await cli(['validate', 'four.apflow.yaml', '--quiet', '--json'], ws.dir));
      assert.deepEqual(doc.files[0].diagnostics.map((d) => d.severity), ['error']);
      const github = await cli(['validate', 'four.apflow.yaml', '--quiet', '--format', 'github'], ws.dir);
      assert.deepEqual(github.stdout.split('\n').filter((l) => l.startsWith('::')).map((l) => l.split(' ')[0]), ['::error']);
      const sarif = json<SarifLog>(await cli(['validate', 'four.apflow.yaml', '--quiet', '--format', 'sarif'], ws.dir));
      assert.deepEqual(sarif.runs[0].results.map((x) => x.level), ['error']);
    });

    it('still counts the warnings it hides for --max-warnings', async () => {
      const warned = FOUR.replace('    priority: 7\n', '');
      writeFileSync(join(ws.dir, 'warned.apflow.yaml'), warned);
      const r = await cli(['validate', 'warned.apflow.yaml', '--quiet', '--max-warnings', '0'], ws.dir);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '0 errors, 0 warnings in 1 file\n');
      assert.equal(r.stderr, 'apflow-yaml validate: 1 warning, more than the 0 --max-warnings allows\n');
    });
  });

  describe('--max-warnings', () => {
    it('says why it failed, and says nothing when within the limit', async () => {
      writeFileSync(join(ws.dir, 'b.apflow.yaml'), FOUR);
      const over = await cli(['validate', 'four.apflow.yaml', 'b.apflow.yaml', '--max-warnings', '1', '--json'], ws.dir);
      assert.equal(over.code, 1);
      assert.equal(over.stderr, 'apflow-yaml validate: 2 warnings, more than the 1 --max-warnings allows\n');
      json(over);
      const within = await cli(['validate', 'four.apflow.yaml', '--max-warnings', '1'], ws.dir);
      assert.equal(within.stderr, '');
    });
  });

  describe('usage', () => {
    it('refuses an unknown format, and --json with another format', async () => {
      await expectValidateUsageErrors(ws.dir, [
        [['four.apflow.yaml', '--format', 'xml'], "--format takes text, json, github, sarif, not 'xml'"],
        [['four.apflow.yaml', '--json', '--format', 'sarif'], '--json is --format json: give one of --json and --format sarif'],
        [['four.apflow.yaml', '--max-warnings', ''], "--max-warnings takes a whole number of at least 0, not ''"],
      ]);
    });
  });
});
