// The top-level `hooks:` and `env:` (issue 12): accepted keys, hook declarations checked like executor
// declarations (missing file, missing function, unknown key, neither module nor python), `env.required` names.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { analyzeFile } from '../../../analysis';
import { discoveredEnvIn } from '../../../analysis/python/node';
import { dedent, expectAt, expectNone, fakeEnv, mark } from './fixture';

const TASKS = 'tasks:\n  - id: root\n    name: Root\n    schemas: { method: aggregate_results_executor }\n';

describe('hooks and env (issue 12)', () => {
  it('accepts hooks with JS and Python entries and env.required, and puts them on the model', () => {
    const text = `hooks:\n  pre:\n    - { module: ./h.mjs, export: stamp }\n    - python: hooks.py:audit\n  on_tree_failed:\n    - python: my_pkg.hooks:alert\nenv:\n  required: [API_KEY, DATABASE_URL]\n${TASKS}`;
    const env = fakeEnv(['/ws/h.mjs', '/ws/hooks.py']);
    const { diagnostics, model } = analyzeFile(text, '/ws/t.apflow.yaml', env);
    assert.deepEqual(diagnostics.map((d) => d.code), []);
    assert.deepEqual(model.hooks, [
      { list: 'pre', module: './h.mjs', exportName: 'stamp', python: null },
      { list: 'pre', module: null, exportName: 'default', python: 'hooks.py:audit' },
      { list: 'on_tree_failed', module: null, exportName: 'default', python: 'my_pkg.hooks:alert' },
    ]);
    assert.deepEqual(model.requiredEnv, ['API_KEY', 'DATABASE_URL']);
  });

  it('reports a hook file that does not exist at its value', () => {
    const tree = dedent`
      hooks:
        post:
          - python: «missing/hooks.py:after»
      tasks:
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
    `;
    const { diagnostics } = expectAt(tree, 'executor-module-missing', 'error', { fileName: '/ws/t.apflow.yaml', env: fakeEnv() });
    assert.match(diagnostics[0].message, /the Python file 'missing\/hooks\.py' of a `post` hook does not exist/);
    expectNone(mark(tree).text, 'executor-module-missing', { fileName: '/ws/t.apflow.yaml', env: fakeEnv(['/ws/missing/hooks.py']) });
  });

  it('reports a Python hook whose file (or module) has no such function, read from the real file', async () => {
    const dir = join(__dirname, '../../fixtures/python-run');
    const text = `hooks:\n  pre:\n    - python: hooks.py:stamp\n    - python: hooks.py:stmp\n    - python: hooks:gone\n${TASKS}`;
    const discovered = await discoveredEnvIn([dir]);
    await discovered.prepare(text);
    const { diagnostics } = analyzeFile(text, join(dir, 't.apflow.yaml'), discovered.env);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
      [
        ['executor-module-missing', 3, "'hooks.py' has no function `stmp` for a `pre` hook: define it at the top level of hooks.py or fix the name after ':'"],
        ['executor-module-missing', 4, "'hooks' has no function `gone` for a `pre` hook: define it at the top level of hooks.py or fix the name after ':'"],
      ],
    );
  });

  it('flags an unknown hook list, an entry with a misspelt key, an entry without module or python, and a bad variable name', () => {
    const text = `hooks:\n  pre_task:\n    - { module: ./h.mjs }\n  post:\n    - { modul: ./h.mjs }\n    - {}\nenv:\n  required: [API-KEY]\n${TASKS}`;
    const { diagnostics } = analyzeFile(text, '/ws/t.apflow.yaml', fakeEnv(['/ws/h.mjs']));
    const codes = diagnostics.map((d) => `${d.code}: ${d.message}`);
    assert.ok(codes.some((c) => c.startsWith('unknown-key') && c.includes('pre_task')), codes.join('\n'));
    assert.ok(codes.includes('schema: `hooks.post.0` is invalid: A hook needs `module` (a JavaScript file, with `export`) or `python:` (`file.py:function` or `package.module:function`), and nothing else.'), codes.join('\n'));
    assert.ok(codes.some((c) => c.startsWith('schema: `hooks.post.1` is invalid')), codes.join('\n'));
    assert.ok(codes.includes('schema: `env.required.0` must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"'), codes.join('\n'));
  });
});
