// `apflow-yaml validate` on hostile files (issue 9), through the built CLI: structure nested 3,000
// deep is a yaml-syntax error (exit 1, not an internal error), a CR-only file is reported line by
// line, and the CLI reports every diagnostic — the editor caps what it shows, `--json` is a contract.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CR_ONLY, DEEPEST_LINE, deeplyNested, misspeltExecutors } from '../fixtures/hostile';
import { wantsLargerYoungGeneration } from '../../cli/young-generation';
import { buildIfStale, cli, json, workspace } from './cli-helpers';

interface ValidateDoc {
  files: { path: string; diagnostics: { code: string; message: string; range: { start: { line: number; character: number } } }[] }[];
}

describe('cli: hostile files (issue 9)', function () {
  this.timeout(60000);
  let ws: ReturnType<typeof workspace>;
  before(() => {
    buildIfStale();
    ws = workspace({ 'deep.apflow.yaml': deeplyNested(3000, 'extra: 1\n'), 'cr.apflow.yaml': CR_ONLY, 'many.apflow.yaml': misspeltExecutors(1200) });
  });
  after(() => ws.cleanup());

  it('reports structure nested 3,000 deep as a yaml-syntax error and exits 1', async () => {
    const r = await cli(['validate', 'deep.apflow.yaml', '--json'], ws.dir);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const [file] = json<ValidateDoc>(r).files;
    assert.deepEqual(
      file.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['yaml-syntax', DEEPEST_LINE]],
    );
    assert.match(file.diagnostics[0].message, /nested too deeply to be read/);
  });

  it('refuses to run it with the same error, not an internal error', async () => {
    const r = await cli(['run', 'deep.apflow.yaml'], ws.dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout + r.stderr, new RegExp(`deep\\.apflow\\.yaml:${DEEPEST_LINE + 1}:\\d+: error yaml-syntax: the structure here is nested too deeply`));
    assert.doesNotMatch(r.stderr, /internal error|RangeError/);
  });

  it('counts a lone carriage return as a line break', async () => {
    const r = await cli(['validate', 'cr.apflow.yaml'], ws.dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^cr\.apflow\.yaml:4:24: error unknown-executor: /m);
  });

  it('reports every diagnostic of a file with 1,200 problems', async () => {
    // 1,201 tasks under one root: --max-tree-size keeps tree-too-large out of the count.
    const r = await cli(['validate', 'many.apflow.yaml', '--json', '--max-tree-size', '2000'], ws.dir);
    assert.equal(r.code, 1);
    const [file] = json<ValidateDoc>(r).files;
    assert.equal(file.diagnostics.length, 1200);
    assert.ok(file.diagnostics.every((d) => d.code === 'unknown-executor'));
  });

  it('validates a tree of more than 16 MiB in a child Node with a larger young generation, with the same report and exit status', async () => {
    const tree = 'tasks:\n  - id: a\n    name: A\n    schemas: { method: comand_executor }\n';
    const padded = join(ws.dir, 'padded.apflow.yaml');
    const small = join(ws.dir, 'small.apflow.yaml');
    writeFileSync(padded, `${tree}# ${'x'.repeat(17 * 2 ** 20)}\n`);
    writeFileSync(small, tree);
    assert.equal(wantsLargerYoungGeneration(['validate', padded]), true);
    assert.equal(wantsLargerYoungGeneration(['validate', small]), false);
    assert.equal(wantsLargerYoungGeneration(['export', padded]), false);
    const [large, plain] = await Promise.all([cli(['validate', 'padded.apflow.yaml', '--json'], ws.dir), cli(['validate', 'small.apflow.yaml', '--json'], ws.dir)]);
    assert.equal(large.code, 1, large.stderr);
    assert.equal(large.stderr, '');
    const codes = (r: typeof large) => json<ValidateDoc>(r).files.map((f) => f.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`));
    assert.deepEqual(codes(large), [['unknown-executor@3:23']]);
    assert.deepEqual(codes(large), codes(plain));
  });
});

