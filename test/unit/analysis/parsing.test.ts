// Reading files (spec 1, 2.1): bare sequences, JSON, YAML errors that must not hide the rest, the
// alias bomb, a second document, merge keys, and the layouts that make the core parse the whole file
// at once (flow style, anchors across tasks, content after the task list), which must give the same
// diagnostics as the equivalent block layout.
import { strict as assert } from 'node:assert';
import { analyzeFile, type Diagnostic } from '../../../analysis';
import { analyze, ANY_FILE, dedent, expectAt, JSON_FILE, only, YAML_FILE } from './fixture';

/** What a diagnostic says, without where: layouts that differ in shape still agree on this. */
const gist = (d: Diagnostic) => `${d.code}|${d.severity}|${d.task}|${d.message}`;
const gists = (text: string, fileName = YAML_FILE) => analyze(text, fileName).map(gist).sort();
/** How the core read the file: item by item, or as one document (the fallback). */
const mode = (text: string) => analyzeFile(text, YAML_FILE, ANY_FILE).parseMode;

/** A block-layout tree with one problem of each common kind. */
const BLOCK = dedent`
  tasks:
    - id: root
      name: Root
      schemas: { method: aggregate_results_executor }
      dependencies: [fetch, ghost]
    - id: fetch
      name: Fetch
      parent_id: root
      schemas: { method: comand_executor }
    - id: store
      name: Store
      parent_id: root
      schemas: { method: system_info_executor }
      dependencies: [store]
`;

describe('analysis: reading files (spec 1, 2.1)', () => {
  it('reads a bare sequence as the task list', () => {
    const result = analyzeFile(
      dedent`
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
          dependencies: [a]
        - id: a
          name: A
          parent_id: root
          schemas: { method: system_info_executor }
      `,
      YAML_FILE,
      ANY_FILE,
    );
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.model.shape, 'sequence');
    assert.deepEqual(
      result.model.tasks.map((t) => [t.id, t.parent]),
      [
        ['root', null],
        ['a', 0],
      ],
    );
  });

  it('reports problems in a bare sequence at their places', () => {
    const { diagnostics } = expectAt(
      dedent`
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
          dependencies: [a, b]
        - id: a
          name: Step
          parent_id: root
          schemas: { method: system_info_executor }
        - id: b
          name: «Step»
          parent_id: root
          schemas: { method: system_info_executor }
      `,
      'duplicate-name',
      'error',
    );
    assert.equal(diagnostics[0].task, 'b');
  });

  it('reads a JSON task array (the acceptance tree a05)', () => {
    const text =
      '[\n' +
      '  {"id": "root", "name": "Root", "schemas": {"method": "aggregate_results_executor"}, "dependencies": ["a", "b"]},\n' +
      '  {"id": "a", "name": "Step", "parent_id": "root", "schemas": {"method": "system_info_executor"}},\n' +
      '  {"id": "b", "name": "Step", "parent_id": "root", "schemas": {"method": "system_info_executor"}}\n' +
      ']\n';
    const all = analyze(text, JSON_FILE);
    assert.deepEqual(
      all.map((d) => [d.code, d.severity, d.range.start.line, d.task]),
      [['duplicate-name', 'error', 3, 'b']],
    );
  });

  describe('YAML errors', () => {
    it('a broken line in one task does not hide the other tasks’ diagnostics', () => {
      const text = BLOCK.replace('    name: Fetch\n', '    name: "Fetch\n');
      const all = analyze(text);
      assert.ok(only(all, 'yaml-syntax').length >= 1, 'the syntax error is reported');
      const elsewhere = all.filter((d) => d.code !== 'yaml-syntax' && d.task !== 'fetch').map(gist);
      const healthy = analyze(BLOCK)
        .filter((d) => d.task !== 'fetch' && d.code !== 'unreachable')
        .map(gist);
      for (const g of healthy) assert.ok(elsewhere.includes(g), `still reported: ${g}`);
    });

    it('broken indentation in one task does not hide the others', () => {
      const text = BLOCK.replace('    schemas: { method: comand_executor }\n', '   schemas: { method: comand_executor }\n');
      const all = analyze(text);
      assert.ok(only(all, 'yaml-syntax').length >= 1);
      assert.ok(all.some((d) => d.code === 'self-dependency' && d.task === 'store'));
      assert.ok(all.some((d) => d.code === 'unknown-reference' && d.task === 'root'));
    });

    it('reports a second YAML document as yaml-syntax', () => {
      const text = `${BLOCK}---\ntasks: []\n`;
      const syntax = only(analyze(text), 'yaml-syntax');
      assert.equal(syntax.length, 1);
      assert.equal(syntax[0].severity, 'error');
      assert.equal(syntax[0].range.start.line, 14, 'at the second document');
    });

    it('accepts a leading document marker', () => {
      assert.deepEqual(gists(`---\n${BLOCK}`), gists(BLOCK));
    });

    it('bounds an alias bomb: reported as yaml-syntax, and the analysis returns', () => {
      const levels = 'abcdefghi'.split('');
      const rows = levels.map((l, i) => `      ${l}: &${l} [${i === 0 ? Array(9).fill('"lol"').join(',') : Array(9).fill(`*${levels[i - 1]}`).join(',')}]`);
      const text = `tasks:\n  - id: root\n    name: Root\n    schemas: { method: system_info_executor }\n    inputs:\n${rows.join('\n')}\n`;
      const all = analyze(text);
      assert.ok(all.length >= 1);
      assert.ok(all.every((d) => d.code === 'yaml-syntax'), JSON.stringify(all.map((d) => d.code)));
      assert.match(all[0].message, /alias/i);
    });

    it('bounds an alias bomb in the header too', () => {
      const levels = 'abcdefghi'.split('');
      const rows = levels.map((l, i) => `  ${l}: &${l} [${i === 0 ? Array(9).fill('x').join(',') : Array(9).fill(`*${levels[i - 1]}`).join(',')}]`);
      const text = `description: boom\nexecutors:\n${rows.join('\n')}\ntasks:\n  - { id: root, name: Root, schemas: { method: system_info_executor } }\n`;
      const all = analyze(text);
      assert.ok(only(all, 'yaml-syntax').length >= 1);
    });
  });

  describe('layouts parsed as a whole give the same diagnostics as the block layout', () => {
    it('a flow-style task list', () => {
      const flow = dedent`
        tasks: [
          { id: root, name: Root, schemas: { method: aggregate_results_executor }, dependencies: [fetch, ghost] },
          { id: fetch, name: Fetch, parent_id: root, schemas: { method: comand_executor } },
          { id: store, name: Store, parent_id: root, schemas: { method: system_info_executor }, dependencies: [store] }
        ]
      `;
      assert.equal(mode(BLOCK), 'items');
      assert.equal(mode(flow), 'full');
      assert.deepEqual(gists(flow), gists(BLOCK));
    });

    it('a multi-line flow task list with positions on the right lines', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks: [
            { id: root, name: Root, schemas: { method: aggregate_results_executor },
              dependencies: [fetch, «ghost»] },
            { id: fetch, name: Fetch, parent_id: root, schemas: { method: system_info_executor } }
          ]
        `,
        'unknown-reference',
        'error',
      );
      assert.equal(diagnostics[0].task, 'root');
    });

    it('anchors and aliases across tasks', () => {
      const anchored = BLOCK.replace('    schemas: { method: system_info_executor }\n', '    schemas: &sys { method: system_info_executor }\n').replace(
        '  - id: root\n',
        '  - id: root\n    params: &none { retries: 0 }\n',
      );
      const aliased = `${anchored}  - id: extra\n    name: Extra\n    parent_id: root\n    schemas: *sys\n    params: *none\n`;
      const explicit = `${BLOCK.replace('  - id: root\n', '  - id: root\n    params: { retries: 0 }\n')}  - id: extra\n    name: Extra\n    parent_id: root\n    schemas: { method: system_info_executor }\n    params: { retries: 0 }\n`;
      assert.equal(mode(aliased), 'full');
      assert.equal(mode(explicit), 'items');
      assert.deepEqual(gists(aliased), gists(explicit));
      // Same lines and columns too, except where the alias stands for the written-out value.
      const where = (text: string) =>
        analyze(text)
          .filter((d) => d.task !== 'extra')
          .map((d) => `${gist(d)}@${JSON.stringify(d.range)}`);
      assert.deepEqual(where(aliased), where(explicit));
    });

    it('merge keys', () => {
      const merged = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [a, b]
          - &child
            id: a
            name: A
            parent_id: root
            schemas: { method: system_info_executor }
            inputs: { resource: cpu }
          - <<: *child
            id: b
            name: B
            inputs: { resource: disk }
          - <<: *child
            id: c
            name: C
      `;
      assert.equal(mode(merged), 'full');
      const all = analyze(merged);
      // c inherits parent_id and the executor from a; it is simply not collected by root.
      assert.deepEqual(
        all.map((d) => [d.code, d.task]),
        [['parent-ordering', 'c']],
      );
    });

    it('content after the task list', () => {
      const after = `${BLOCK}description: Written last\nversion: 1\n`;
      assert.equal(mode(after), 'full');
      assert.deepEqual(
        analyze(after).map((d) => `${gist(d)}@${JSON.stringify(d.range)}`),
        analyze(BLOCK).map((d) => `${gist(d)}@${JSON.stringify(d.range)}`),
      );
      const typo = `${BLOCK}verison: 1\n`;
      assert.deepEqual(
        analyze(typo).map(gist).filter((g) => !g.startsWith('unknown-key')),
        analyze(BLOCK).map(gist),
      );
      assert.equal(only(analyze(typo), 'unknown-key')[0].range.start.line, 14);
    });

    it('tabs inside values and a comment between items', () => {
      const text = BLOCK.replace('  - id: fetch\n', '  # the fetcher\n  - id: fetch\n');
      assert.deepEqual(gists(text), gists(BLOCK));
    });
  });
});
