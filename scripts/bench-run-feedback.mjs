// `node scripts/bench-run-feedback.mjs [--dev] [--tasks N]`: the feedback of a 5,000-task run as the
// window shows it (issue 13), in code-server driven by headless Chromium (guides/real-vscode.md). A
// tree of N tasks (a root over N-1 tasks in 9 chains) is run from its `▶ Run task tree` lens while a
// MutationObserver in the page notes every text the status bar, the lenses above the tree, the toasts
// and the Runs view show. Prints: click → first feedback on screen, how often each surface changed during
// the run, whether their counters agreed, and the gap between the status bar and the `last run:` lens
// at the end. Asserts nothing. The extension host's own event-loop delay is printed by the
// extension-host suite test/extension/run-feedback.test.ts.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './code-server-install.mjs';
import { launchChromium, startCodeServer, workbenchUrl } from './code-shim.mjs';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const at = process.argv.indexOf('--tasks');
const TASKS = at > 0 ? Number(process.argv[at + 1]) : 5001;
/** How long after the first lens the click comes (--settle ms): the window is still busy with the new file at first. */
const settleAt = process.argv.indexOf('--settle');
const SETTLE_MS = settleAt > 0 ? Number(process.argv[settleAt + 1]) : 1500;
process.env.CODE_SERVER_BIN ??= ensureCodeServer();
execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--if-stale'], { stdio: 'inherit', cwd: root });
const ws = mkdtempSync(join(tmpdir(), 'apflow-bench-feedback-'));
cpSync(join(root, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
const FILE = 'huge.apflow.yaml';
const pad = (i) => `t${String(i).padStart(String(TASKS).length, '0')}`;
const lines = ['version: 1', `description: ${TASKS} tasks`, 'executors:', '  ok: { module: ./exec.mjs, export: ok }', 'tasks:'];
const heads = Array.from({ length: 9 }, (_, k) => pad(TASKS - 1 - k)).filter((id) => id !== pad(0));
lines.push('  - id: root', '    name: Root', '    schemas: { method: aggregate_results_executor }', `    dependencies: [${heads.join(', ')}]`);
for (let i = 1; i < TASKS; i++) lines.push(`  - id: ${pad(i)}`, `    name: Task ${i}`, '    parent_id: root', '    schemas: { method: ok }', ...(i > 9 ? [`    dependencies: [${pad(i - 9)}]`] : []));
writeFileSync(join(ws, FILE), `${lines.join('\n')}\n`);

/** In the page: every change of what the watched surfaces say, with its time. */
function watch() {
  const log = [];
  const surfaces = {
    status: () => [...document.querySelectorAll('.statusbar-item')].map((e) => e.textContent ?? '').filter((t) => t.includes('apflow:')).join(' | '),
    lens: () => [...document.querySelectorAll('.monaco-editor .codelens-decoration')].slice(0, 1).map((e) => e.textContent ?? '').join(''),
    toast: () => [...document.querySelectorAll('.notification-toast .notification-list-item-message')].map((e) => e.textContent ?? '').filter((t) => t.includes('huge.apflow.yaml')).join(' | '),
    view: () => [...document.querySelectorAll('.pane .monaco-list-row')].map((e) => e.textContent ?? '').find((t) => t.includes('huge.apflow.yaml')) ?? '',
  };
  const last = {};
  const note = () => {
    const now = performance.now();
    for (const [name, read] of Object.entries(surfaces)) {
      const text = read();
      if (text !== last[name]) log.push({ at: now, name, text: (last[name] = text) });
    }
  };
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  window.__feedback = { log, clickedAt: 0 };
}

let server;
let browser;
try {
  server = await startCodeServer([]);
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(workbenchUrl(server.host, { folder: ws, devPath: root }));
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await page.locator('.activitybar .action-item a[aria-label^="apflow"]').click();
  await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).dblclick();
  const lens = (text) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
  await lens('Run task tree').waitFor({ timeout: 120000 });
  // The Runs view beside the editor, so that its rows are on screen during the run.
  await page.locator('.activitybar .action-item a[aria-label^="apflow"]').click();
  await page.waitForTimeout(SETTLE_MS);
  await page.evaluate(watch);
  await page.evaluate(() => (window.__feedback.clickedAt = performance.now()));
  await lens('Run task tree').click();
  await lens(/last run: completed/).waitFor({ timeout: 300000 });
  await page.waitForTimeout(500);
  const { log, clickedAt } = await page.evaluate(() => window.__feedback);
  const after = log.filter((e) => e.at >= clickedAt).map((e) => ({ ...e, ms: e.at - clickedAt }));
  // The lens above the tree is redrawn on the click itself, saying the same: that is no feedback.
  const first = after.find((e) => e.text !== '' && !e.text.includes('Run task tree'));
  const counter = (text) => /(\d+)\/(\d+)/.exec(text)?.[1];
  const running = after.filter((e) => counter(e.text) !== undefined);
  const from = running[0]?.ms ?? 0;
  const to = running.at(-1)?.ms ?? 0;
  const seconds = Math.max(0.001, (to - from) / 1000);
  const rate = (name) => (running.filter((e) => e.name === name).length / seconds).toFixed(1);
  const statusGone = after.filter((e) => e.name === 'status' && e.text === '').at(-1)?.ms;
  const lastRun = after.find((e) => e.name === 'lens' && e.text.includes('last run:'))?.ms;
  // The counters side by side, at every change: the newest counter of each surface that shows one.
  const now = {};
  let disagreements = 0;
  let compared = 0;
  for (const e of running) {
    now[e.name] = counter(e.text);
    const values = Object.values(now).filter((v) => v !== undefined);
    if (values.length > 1) {
      compared++;
      if (new Set(values).size > 1) disagreements++;
    }
  }
  console.log(`${TASKS}-task run in code-server (${root}), clicked ${SETTLE_MS} ms after the first lens:`);
  console.log(`  click → first feedback on screen: ${first ? `${first.ms.toFixed(0)} ms (${first.name}: ${JSON.stringify(first.text.slice(0, 80))})` : 'none'}`);
  for (const name of ['status', 'lens', 'toast', 'view']) {
    const firstOf = after.find((e) => e.name === name && e.text !== '');
    console.log(`  ${name.padEnd(6)} first at ${firstOf ? `${firstOf.ms.toFixed(0)} ms` : '—'}: ${JSON.stringify(firstOf?.text.slice(0, 70) ?? '')}; changed ${rate(name)}/s while counting`);
  }
  console.log(`  counting for ${seconds.toFixed(1)} s; the counters of the surfaces differed at ${disagreements} of ${compared} changes`);
  console.log(`  end: status-bar item gone at ${statusGone?.toFixed(0) ?? '—'} ms, "last run:" lens at ${lastRun?.toFixed(0) ?? '—'} ms (gap ${statusGone !== undefined && lastRun !== undefined ? (lastRun - statusGone).toFixed(0) : '—'} ms)`);
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(ws, { recursive: true, force: true });
}
