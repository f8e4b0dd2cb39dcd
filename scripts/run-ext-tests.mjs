// `npm run test:extension`: the extension-host suites in one code-server session (route A of
// guides/real-vscode.md): build, bundle the suites, copy the fixture workspace to a temp dir, then
// @vscode/test-electron's runTests with the code-server shim as the "VS Code executable".
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './code-server-install.mjs';
import { buildExtensionTests } from './build-ext-tests.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
process.env.CODE_SERVER_BIN ??= ensureCodeServer();
execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], { stdio: 'inherit', cwd: root });
const tests = await buildExtensionTests();
const ws = mkdtempSync(join(tmpdir(), 'apflow-ws-'));
cpSync(join(root, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
const started = Date.now();
let code = 0;
try {
  await runTests({
    vscodeExecutablePath: join(root, 'scripts', 'code-shim.mjs'),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(tests, 'index.js'),
    launchArgs: [ws],
    extensionTestsEnv: { APFLOW_TEST_WORKSPACE: ws },
  });
} catch (e) {
  console.error(String(e));
  code = 1;
} finally {
  if (!process.env.KEEP_WS) rmSync(ws, { recursive: true, force: true });
  console.log(`extension-host session: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(code);
