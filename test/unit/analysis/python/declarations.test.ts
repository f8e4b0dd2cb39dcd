// Python executors in the analysis (issue 12): `python:` declarations, executors registered in the
// workspace's Python files, their input schemas, and an id registered twice. The environment is the
// real discovery over real files (the fixture project and scratch folders), never a stand-in.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyzeFile, type AnalysisEnv } from '../../../../analysis';
import { nodeEnv } from '../../../../analysis/node-env';
import { PythonParser, PythonWorkspace } from '../../../../analysis/python/node';
import { dedent, expectAt, expectNone, mark, only } from '../fixture';

const PROJECT = resolve(__dirname, '../../../fixtures/workspace/python-project');
const TREE = join(PROJECT, 'flows', 't.apflow.yaml');

async function envOf(root: string): Promise<AnalysisEnv & { workspace: PythonWorkspace }> {
  const workspace = new PythonWorkspace(() => PythonParser.load());
  await workspace.prepare();
  await workspace.discover(root);
  return { ...nodeEnv, python: (dir) => workspace.view(dir), workspace };
}

describe('analysis: Python executors (declarations and discovery)', () => {
  let env: AnalysisEnv;
  before(async () => {
    env = await envOf(PROJECT);
  });
  const at = (tree: string, code: Parameters<typeof expectAt>[1], severity: Parameters<typeof expectAt>[2], fileName = join(PROJECT, 't.apflow.yaml')) =>
    expectAt(tree, code, severity, { fileName, env });

  describe('python: declarations', () => {
    const declared = (python: string, method = 'x') => dedent`
      executors:
        x:
          python: «${python}»
      tasks:
        - id: root
          name: Root
          schemas: { method: ${method} }
          inputs: { user_id: "1" }
    `;

    it('accepts a file relative to the tree and a module found up the folders, as sys.path would', () => {
      expectNone(mark(declared('executors/data/fetch.py:FetchUserData')).text, 'executor-module-missing', { fileName: join(PROJECT, 't.apflow.yaml'), env });
      // From a sub-folder the module still resolves (the project root is an ancestor of the tree's folder).
      expectNone(mark(declared('executors.data.fetch:FetchUserData')).text, 'executor-module-missing', { fileName: TREE, env });
      expectNone(mark(declared('executors.data:normalize_email'.replace('data:', 'data.process:'))).text, 'executor-module-missing', { fileName: TREE, env });
    });

    it('names a missing file, a missing module, a missing class or function, and a class without execute', () => {
      assert.match(at(declared('executors/data/nope.py:FetchUserData'), 'executor-module-missing', 'error').diagnostics[0].message, /the Python file 'executors\/data\/nope\.py' of executor `x` does not exist/);
      assert.match(at(declared('executors.nope:FetchUserData'), 'executor-module-missing', 'error').diagnostics[0].message, /the Python module 'executors\.nope' of executor `x` is not found \(looked for 'executors\/nope\.py' and 'executors\/nope\/__init__\.py'/);
      assert.match(at(declared('executors/data/fetch.py:FetchUser'), 'executor-module-missing', 'error').diagnostics[0].message, /'executors\/data\/fetch\.py' has no class or function `FetchUser`/);
      assert.match(at(declared('hooks.py:Missing'), 'executor-module-missing', 'error').diagnostics[0].message, /no class or function `Missing`/);
    });

    it('checks inputs against the class’s inputs_schema', () => {
      const tree = (inputs: string) => `executors:\n  x:\n    python: executors/data/fetch.py:FetchUserData\ntasks:\n  - id: root\n    name: Root\n    schemas: { method: x }\n    ${inputs}\n`;
      const { diagnostics } = at(tree('«inputs»: { include_profile: true }'), 'invalid-inputs', 'error');
      assert.match(diagnostics[0].message, /missing required input `user_id` of `x`/);
      at(tree('inputs: { user_id: «1» }'), 'invalid-inputs', 'error');
      // additionalProperties: false forbids an unknown input.
      at(tree('inputs: { user_id: "1", «colour»: red }'), 'invalid-inputs', 'error');
    });

    it('reports a malformed reference, and module beside python, as schema errors', () => {
      const tree = (decl: string) => `executors:\n  x:\n    ${decl}\ntasks:\n  - id: root\n    name: Root\n    schemas: { method: x }\n`;
      const malformed = only(analyzeFile(tree('python: executors/data/fetch.py'), TREE, env).diagnostics, 'schema');
      assert.match(malformed[0].message, /`python` must name a file or module and a class or function after `:`/);
      const both = only(analyzeFile(tree('python: a.py:A\n    module: ./a.mjs'), TREE, env).diagnostics, 'schema');
      assert.match(both[0].message, /has both `module` \(JavaScript\) and `python`/);
    });
  });

  describe('registered executors', () => {
    const tree = dedent`
      tasks:
        - id: root
          name: Root
          schemas: { method: greeter }
          «inputs»: { excited: true }
    `;

    it('are known without a declaration, and their Pydantic inputs are checked', () => {
      expectNone(mark(tree).text, 'unknown-executor', { fileName: TREE, env });
      const { diagnostics } = at(tree, 'invalid-inputs', 'error', TREE);
      assert.match(diagnostics[0].message, /missing required input `name` of `greeter`/);
    });

    it('complete, so the tasks that require them are not unreachable', () => {
      const required = dedent`
        tasks:
          - id: root
            name: Root
            schemas: { method: aggregate_results_executor }
            dependencies: [greet]
          - id: greet
            name: Greet
            parent_id: root
            schemas: { method: greeter }
            inputs: { name: Ada }
      `;
      expectNone(required, 'unreachable', { fileName: TREE, env });
    });

    it('let a declaration with only a description stand for them', () => {
      const described = dedent`
        executors:
          greeter:
            description: Says hello
        tasks:
          - id: root
            name: Root
            schemas: { method: greeter }
            inputs: { name: Ada }
            timeout: 10
      `;
      const all = analyzeFile(described, TREE, env).diagnostics;
      assert.deepEqual(all.map((d) => d.code), []);
      // Without the registration, the same declaration names no code.
      const elsewhere = analyzeFile(described, '/nowhere/t.apflow.yaml', nodeEnv).diagnostics;
      assert.match(only(elsewhere, 'executor-module-missing')[0].message, /executor `greeter` names no code: add `module:`/);
    });

    it('are suggested for a misspelt id', () => {
      const diagnostics = only(analyzeFile(tree.replace('greeter', 'greter').replace(/[«»]/g, ''), TREE, env).diagnostics, 'unknown-executor');
      assert.match(diagnostics[0].message, /did you mean 'greeter'\?/);
    });
  });

  describe('duplicate-executor', () => {
    let dir: string;
    let scratch: AnalysisEnv & { workspace: PythonWorkspace };
    const write = (relative: string, text: string) => {
      mkdirSync(dirname(join(dir, relative)), { recursive: true });
      writeFileSync(join(dir, relative), text);
    };
    const register = (id: string) => `@executor_register()\nclass X(BaseTask):\n    id = "${id}"\n`;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'apflow-python-'));
      write('a.py', register('twice'));
      write('pkg/b.py', `\n${register('twice')}`);
      // Not the workspace's code: never discovered, so never a duplicate.
      write('.venv/lib/site.py', register('twice'));
      write('venv/x.py', register('twice'));
      write('env/pyvenv.cfg', 'home = /usr\n');
      write('env/lib/x.py', register('twice'));
      write('node_modules/p/x.py', register('twice'));
      write('lib/site-packages/x.py', register('twice'));
      write('pkg/__pycache__/x.py', register('twice'));
      scratch = await envOf(dir);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('warns at each task using an id registered twice, naming every file:line; skips virtual environments and vendored folders', () => {
      const { diagnostics } = expectAt(
        dedent`
          tasks:
            - id: root
              name: Root
              schemas: { method: «twice» }
        `,
        'duplicate-executor',
        'warning',
        { fileName: join(dir, 't.apflow.yaml'), env: scratch },
      );
      assert.match(diagnostics[0].message, /registered 2 times \(a\.py:2, pkg\/b\.py:3\)/);
    });

    it('follows a change of one file', () => {
      write('pkg/b.py', register('once'));
      assert.equal(scratch.workspace.changed(join(dir, 'pkg/b.py')), true);
      expectNone('tasks:\n  - id: root\n    name: Root\n    schemas: { method: twice }\n', 'duplicate-executor', { fileName: join(dir, 't.apflow.yaml'), env: scratch });
    });
  });
});
