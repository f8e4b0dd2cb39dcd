// The extension-host test runner (the workbench's extensionTestsPath): mocha over the bundled
// suites, in a fixed order — activation first, before anything else can activate the extension.
import { join } from 'node:path';

const SUITES = ['activation', 'language', 'lsp', 'runs', 'tree-tests', 'settings', 'views', 'trust', 'python', 'big-run', 'big-history', 'server', 'queue', 'run-feedback', 'graph'];

export function run(): Promise<void> {
  // mocha is loaded from node_modules (not bundled), in the extension host. mocha 12 is an ES module:
  // require() gives its namespace.
  const loaded = require('mocha') as { Mocha?: typeof import('mocha') } & typeof import('mocha');
  const Mocha = loaded.Mocha ?? loaded;
  const grep = process.env.APFLOW_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const suite of SUITES) mocha.addFile(join(__dirname, `${suite}.test.js`));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
