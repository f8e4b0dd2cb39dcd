// `npm run test:extension`: the extension-host suites in one code-server session (route A of
// guides/real-vscode.md): build, bundle the suites, copy the fixture workspace to a temp dir, then run
// them in code-server (code-shim.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerOrExit } from './code-server-install.mjs';
import { buildExtensionTests } from './build-ext-tests.mjs';
import { runExtensionTests } from './code-shim.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
process.env.CODE_SERVER_BIN ??= codeServerOrExit();
execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], { stdio: 'inherit', cwd: root });
const tests = await buildExtensionTests();
const ws = mkdtempSync(join(tmpdir(), 'apflow-ws-'));
cpSync(join(root, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
const started = Date.now();
// The suites find their workspace here; code-server's extension host inherits this environment.
process.env.APFLOW_TEST_WORKSPACE = ws;
let code = 1;
try {
  code = await runExtensionTests({ folder: ws, devPath: root, testsPath: join(tests, 'index.js') });
  if (code !== 0) console.error(`the extension-host tests failed (exit status ${code})`);
} finally {
  if (!process.env.KEEP_WS) rmSync(ws, { recursive: true, force: true });
  console.log(`extension-host session: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(code);
