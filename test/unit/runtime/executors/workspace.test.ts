import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspaceExecutor } from '../../../../runtime/executors/workspace';
import { testContext } from './context';

describe('executors: workspace modules', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'apflow-ws-'));
    writeFileSync(join(dir, 'esm.mjs'), 'export default (inputs) => ({ doubled: inputs.n * 2 });\nexport const obj = { factor: 3, execute(inputs) { return inputs.n * this.factor; } };\nexport const notFn = 5;\n');
    writeFileSync(join(dir, 'cjs.cjs'), 'module.exports = { named: async (inputs, ctx) => ctx.task.id + inputs.s };\n');
    writeFileSync(join(dir, 'broken.mjs'), 'export default (;\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (module: string, exportName = 'default') => loadWorkspaceExecutor(dir, { id: 'x', module, exportName });

  it('loads a default-exported function from an ES module', async () => {
    const fn = await load('./esm.mjs');
    assert.deepEqual(await fn({ n: 4 }, testContext()), { doubled: 8 });
  });

  it('loads an object with an execute method, keeping its `this`', async () => {
    const fn = await load('./esm.mjs', 'obj');
    assert.equal(await fn({ n: 2 }, testContext()), 6);
  });

  it('loads a named export of a CommonJS module', async () => {
    const fn = await load('cjs.cjs', 'named');
    assert.equal(await fn({ s: '!' }, testContext()), 'test-task!');
  });

  it('picks up an edited module on the next load', async () => {
    const file = join(dir, 'edited.mjs');
    writeFileSync(file, 'export default () => 1;\n');
    assert.equal(await (await load('./edited.mjs'))({}, testContext()), 1);
    writeFileSync(file, 'export default () => 2;\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(await (await load('./edited.mjs'))({}, testContext()), 2);
  });

  it('does not hand out again a worker that ended while idle', async () => {
    writeFileSync(join(dir, 'exits.mjs'), 'export const later = () => { setTimeout(() => process.exit(0), 20); return 1; };\nexport const ok = () => 2;\n');
    const later = await load('./exits.mjs', 'later');
    const ok = await load('./exits.mjs', 'ok');
    assert.equal(await later({}, testContext()), 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await ok({}, testContext()), 2);
  });

  it('explains a missing module, a module that fails to load and a missing export', async () => {
    await assert.rejects(load('./nope.mjs'), /its module \.\/nope\.mjs does not exist/);
    await assert.rejects(load('./broken.mjs'), /its module \.\/broken\.mjs failed to load: /);
    await assert.rejects(load('./esm.mjs', 'notFn'), /has no export 'notFn' that is a function or an object with an execute method/);
    await assert.rejects(load('./esm.mjs', 'absent'), /has no export 'absent'/);
  });
});
