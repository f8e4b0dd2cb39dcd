// `apflow-yaml test` (issue 14): files and folders, exit statuses 0/1/2, every format (JUnit checked
// with a real XML parser: well-formed, one testcase per case), the coverage summary and --history.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, cli, DECLARATIONS, json, workspace } from './cli-helpers';

const TREE = `${DECLARATIONS}tasks:
  - id: root
    name: Root
    schemas: { method: aggregate_results_executor }
    dependencies: [work]
  - id: work
    name: Work & more
    parent_id: root
    schemas: { method: ok }
  - id: spare
    name: Spare
    parent_id: root
    schemas: { method: ok }
  - id: late
    name: Late
    parent_id: root
    schemas: { method: ok }
    dependencies: [spare]
`;

const PASSING = `tree: flow.apflow.yaml
cases:
  - name: work runs for real, <its> result reaches the root
    expect:
      status: completed
      tasks: { root: { inputs_subset: { work: { out_work: work } } } }
  - name: a mocked failure of work blocks the root
    mocks: { work: { fail: "down & out" } }
    expect: { tasks: { root: { blocked_by: work } } }
`;

const FAILING = `tree: flow.apflow.yaml
cases:
  - name: expects the wrong status
    mocks: { work: { fail: "down" } }
    expect: { status: completed }
`;

interface JsonDoc {
  files: {
    path: string;
    cases: {
      name: string;
      passed: boolean;
      failures: { where: string; message: string }[];
    }[];
    problems: { where: string; message: string }[];
    not_run: string[];
  }[];
  passed: number;
  failed: number;
}

/** The part of the `sax` parser (a dependency of the toolchain, without types here) this test uses. */
interface SaxParser {
  onopentag: (node: { name: string; attributes: Record<string, string> }) => void;
  ontext: (text: string) => void;
  onclosetag: () => void;
  write(text: string): { close(): void };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sax = require('sax') as { parser(strict: boolean): SaxParser };

/** Parses XML strictly (sax throws on anything not well-formed) into elements with their attributes. */
function xmlElements(text: string): { name: string; attributes: Record<string, string>; text: string }[] {
  const parser = sax.parser(true);
  const elements: {
    name: string;
    attributes: Record<string, string>;
    text: string;
  }[] = [];
  const open: { text: string }[] = [];
  parser.onopentag = (node) => {
    const element = { name: node.name, attributes: node.attributes, text: '' };
    elements.push(element);
    open.push(element);
  };
  parser.ontext = (t) => {
    if (open.length) open[open.length - 1].text += t;
  };
  parser.onclosetag = () => open.pop();
  parser.write(text).close();
  return elements;
}

describe('CLI: apflow-yaml test (issue 14)', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => void;
  before(() => {
    buildIfStale();
    ({ dir, cleanup } = workspace({ 'flow.apflow.yaml': TREE }));
    mkdirSync(join(dir, 'passing'));
    writeFileSync(join(dir, 'passing', 'flow.apflow.test.yaml'), PASSING.replace('tree: flow', 'tree: ../flow'));
    writeFileSync(join(dir, 'failing.apflow.test.yaml'), FAILING);
  });
  after(() => cleanup());

  it('exits 0 when every case of the named files passed, and prints each case and the coverage', async () => {
    const r = await cli(['test', 'passing'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'passing/flow.apflow.test.yaml');
    assert.match(lines[1], /^ {2}pass {2}work runs for real, <its> result reaches the root \(\d+ ms\)$/);
    assert.match(lines[2], /^ {2}pass {2}a mocked failure of work blocks the root/);
    assert.equal(lines[3], '  coverage of flow.apflow.yaml: 4/4 tasks ran, 1/2 dependencies exercised with a failure upstream');
    assert.equal(lines[4], '    no case failed upstream of: spare → late (line 23)');
    assert.match(lines[5], /^2 passed, 0 failed in 1 test file \(/);
  });

  it('searches the current folder by default, exits 1 when a case failed, and says where and why', async () => {
    const r = await cli(['test'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ {2}FAIL {2}expects the wrong status/m);
    assert.match(
      r.stdout,
      /^ {8}failing\.apflow\.test\.yaml:5:23: expected the run to be completed, but it was failed \(task 'work' failed: down; 1 blocked\)$/m,
    );
    assert.match(r.stdout, /^2 passed, 1 failed in 2 test files/m);
  });

  it('writes JUnit XML that is well-formed, with a testsuite per file and one testcase per case', async () => {
    const r = await cli(['test', '--format', 'junit'], dir);
    assert.equal(r.code, 1);
    const elements = xmlElements(r.stdout);
    const suites = elements.filter((e) => e.name === 'testsuite');
    assert.deepEqual(
      suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures]),
      [
        ['failing.apflow.test.yaml', '1', '1'],
        ['flow.apflow.test.yaml', '2', '0'],
      ],
    );
    const cases = elements.filter((e) => e.name === 'testcase').map((e) => e.attributes.name);
    assert.deepEqual(cases, ['expects the wrong status', 'work runs for real, <its> result reaches the root', 'a mocked failure of work blocks the root']);
    const failure = elements.find((e) => e.name === 'failure');
    assert.match(failure?.text ?? '', /^failing\.apflow\.test\.yaml:5:23: expected the run to be completed/);
    assert.equal(elements[0].attributes.tests, '3');
  });

  it('writes TAP and JSON', async () => {
    const tap = await cli(['test', '--format', 'tap', 'failing.apflow.test.yaml'], dir);
    assert.equal(tap.code, 1);
    assert.deepEqual(tap.stdout.split('\n').slice(0, 4), ['TAP version 13', '1..1', 'not ok 1 - failing.apflow.test.yaml > expects the wrong status', '  ---']);
    const doc = json<JsonDoc>(await cli(['test', '--json', 'passing'], dir));
    assert.deepEqual([doc.passed, doc.failed], [2, 0]);
    assert.deepEqual(
      doc.files[0].cases.map((c) => [c.name, c.passed]),
      [
        ['work runs for real, <its> result reaches the root', true],
        ['a mocked failure of work blocks the root', true],
      ],
    );
  });

  it('exits 1 for a test file with problems, listing its cases as not run in every format', async () => {
    const broken = workspace({
      'flow.apflow.yaml': TREE,
      'broken.apflow.test.yaml': 'tree: flow.apflow.yaml\ncases:\n  - name: typo\n    mocks: { wrok: { result: {} } }\n',
    });
    try {
      const text = await cli(['test'], broken.dir);
      assert.equal(text.code, 1);
      assert.match(text.stdout, /broken\.apflow\.test\.yaml:4:14: error: flow\.apflow\.yaml has no task 'wrok'; did you mean 'work'\?/);
      assert.match(text.stdout, /not run: 'typo'/);
      const elements = xmlElements((await cli(['test', '--format', 'junit'], broken.dir)).stdout);
      assert.deepEqual(
        elements.filter((e) => e.name === 'testcase' || e.name === 'error').map((e) => e.name),
        ['testcase', 'error'],
      );
    } finally {
      broken.cleanup();
    }
  });

  it('exits 2 for usage mistakes and paths it cannot read, saying which', async () => {
    const cases: [string[], RegExp][] = [
      [['test', '--format', 'xml'], /--format takes text, json, junit or tap, not 'xml'/],
      [['test', 'nowhere'], /cannot read nowhere: /],
      [['test', 'flow.apflow.yaml'], /flow\.apflow\.yaml is not a test file/],
      [['test', 'passing', '--history=flow.apflow.yaml'], /flow\.apflow\.yaml/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    const empty = workspace({});
    try {
      const r = await cli(['test'], empty.dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no test files/);
    } finally {
      empty.cleanup();
    }
  });

  it("passes the ETL example's tests, which the README shows", async () => {
    const r = await cli(['test', 'examples'], join(__dirname, '..', '..'));
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^5 passed, 0 failed in 1 test file/m);
    assert.match(r.stdout, /coverage of examples\/etl\.apflow\.yaml: 4\/4 tasks ran/);
  });

  it('keeps no history unless --history, then records every case run', async () => {
    await cli(['test', 'passing'], dir);
    assert.deepEqual(json<{ runs: unknown[] }>(await cli(['history', '--json'], dir)).runs, []);
    assert.equal((await cli(['test', 'passing', '--history'], dir)).code, 0);
    const runs = json<{ runs: { status: string }[] }>(await cli(['history', '--json'], dir)).runs;
    assert.deepEqual(runs.map((r) => r.status).sort(), ['completed', 'failed']);
  });
});
