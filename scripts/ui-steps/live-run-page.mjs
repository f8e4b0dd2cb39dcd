// UI step of issue 13: the run page follows a live run, and the failure notification's "Open run"
// opens it. live.apflow.yaml has a task that runs until the test creates live.release, and one after
// it that fails. The page is opened with *apflow: Open Run Page* while the first task runs (not from
// the "running" lens: a lens clicked just as the run's lenses refresh is gone, and VS Code says
// "Actual command not found"). Without being opened again, it must show that task running (a bar in
// the running colour, a duration that grows while nothing else happens), then, once released,
// completed and the next task failed, with their bars. Then the page is closed, and "Open run" in the
// failure notification opens it again on the failed task.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The run page's document inside its webview (in code-server two nested iframes); only one is visible. */
const runPageFrame = (page) => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

/**
 * How many of the timeline canvas's pixels are painted in the theme colour `variable` (the colours
 * timeline-view.ts fills attempts with), resolved the way the page resolves it.
 */
function inkOf(frame, variable) {
  return frame.locator('#timeline-canvas').evaluate((canvas, name) => {
    const probe = document.createElement('i');
    probe.style.color = `var(${name})`;
    document.body.append(probe);
    const [r, g, b] = (getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    probe.remove();
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (Math.abs(pixels[i] - r) <= 2 && Math.abs(pixels[i + 1] - g) <= 2 && Math.abs(pixels[i + 2] - b) <= 2 && pixels[i + 3] > 250) ink++;
    }
    return ink;
  }, variable);
}

/** Polls `read` until `accept` holds for its value; throws with `what` and the last value after `timeout` ms. */
async function until(page, what, read, accept, timeout = 15000) {
  const end = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (accept(value)) return value;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeout / 1000} s`);
    await page.waitForTimeout(100);
  }
}

/** The task table's row of task `id` (its first cell reads "id — name"). */
const taskRow = (frame, id) => frame.locator('#table .row', { has: frame.locator('span:first-child', { hasText: new RegExp(`^${id} — `) }) });

const RUNNING = '--vscode-charts-blue';
const COMPLETED = '--vscode-testing-iconPassed';
const FAILED = '--vscode-testing-iconFailed';

export async function liveRunPageStep({ page, ws, openFile, lens, out, step }) {
  await openFile('live.apflow.yaml');
  await lens('Run task tree').click();
  step('live.apflow.yaml: clicked ▶ Run task tree');
  await lens(/running · /).waitFor({ timeout: 15000 });
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>apflow: Open Run Page');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'apflow: Open Run Page' }).first().waitFor();
  await page.keyboard.press('Enter');
  const tab = page.locator('.tabs-container .tab.active', { hasText: /live\.apflow\.yaml · run [0-9a-f]{8}/ });
  await tab.waitFor({ timeout: 15000 });
  step('apflow: Open Run Page opened the running run’s page');

  const frame = runPageFrame(page);
  const row = (id) => taskRow(frame, id);
  await row('wait').locator('.status-in_progress', { hasText: 'running' }).waitFor({ timeout: 10000 });
  await frame.locator('#summary .status-running').waitFor({ timeout: 5000 });
  // A mark on the page's document: still there at the end, the page was updated, not opened again.
  await frame.locator('body').evaluate(() => { window.apflowLiveMark = true; });
  const running = await until(page, 'the running bar of wait', () => inkOf(frame, RUNNING), (ink) => ink > 100, 5000);
  // Nothing happens in the run while wait runs: its duration grows all the same.
  const duration = async () => {
    const text = await row('wait').locator('span').nth(3).textContent();
    return parseFloat(text) / (text.endsWith(' ms') ? 1000 : 1);
  };
  const first = await duration();
  const later = await until(page, 'the running task’s duration', duration, (d) => d >= first + 1, 5000);
  step(`run page live: wait running, its bar drawn (${running} pixels in the running colour), its duration ${first} → ${later} s`);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(out, 'ui-run-page-live-1-running.png') });
  writeFileSync(join(ws, 'live.release'), 'seen\n');

  await row('wait').locator('.status-completed', { hasText: 'completed' }).waitFor({ timeout: 20000 });
  await row('check').locator('.status-failed', { hasText: /^failed$/ }).waitFor({ timeout: 20000 });
  await frame.locator('#summary .status-failed').waitFor({ timeout: 10000 });
  const ended = await until(
    page,
    'the bars after the run (completed, failed and running pixels)',
    async () => [await inkOf(frame, COMPLETED), await inkOf(frame, FAILED), await inkOf(frame, RUNNING)],
    ([completed, failed, still]) => completed > 100 && failed > 0 && still === 0,
    5000,
  );
  if (!(await frame.locator('body').evaluate(() => window.apflowLiveMark === true))) throw new Error('the run page was loaded again instead of updated');
  await page.locator('.tabs-container .tab', { hasText: /live\.apflow\.yaml · run [0-9a-f]{8} · failed/ }).waitFor({ timeout: 5000 });
  step(`run page live: wait completed, check failed, the same page (bars: ${ended[0]} completed, ${ended[1]} failed pixels)`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'ui-run-page-live-2-ended.png') });
  const runTitle = (await tab.textContent()).match(/run ([0-9a-f]{8})/)[1];

  // "Open run" in the failure notification, with the page closed: it opens again, on the failed task.
  await tab.locator('.codicon-close').click();
  await tab.waitFor({ state: 'detached', timeout: 5000 });
  const toast = page.locator('.notification-toast', { hasText: 'live.apflow.yaml failed' });
  await toast.waitFor({ timeout: 15000 });
  await toast.getByRole('button', { name: 'Open run' }).click();
  step('clicked Open run in the failure notification');
  await page.locator('.tabs-container .tab.active', { hasText: `live.apflow.yaml · run ${runTitle} · failed` }).waitFor({ timeout: 15000 });
  const opened = runPageFrame(page);
  await opened.locator('#summary .status-failed').waitFor({ timeout: 15000 });
  await taskRow(opened, 'check').locator('.status-failed', { hasText: /^failed$/ }).waitFor({ timeout: 10000 });
  await opened.locator('#details h2', { hasText: 'check' }).waitFor({ timeout: 10000 });
  await opened.locator('#details pre.error', { hasText: 'upstream returned 503 for check' }).first().waitFor({ timeout: 10000 });
  step(`Open run: the page of run ${runTitle}, failed, with check selected and its error shown`);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'ui-run-page-open-run.png') });
  // Back to the tree: keys pressed while the page has the focus would go to the webview.
  await page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: /^live\.apflow\.yaml$/ }) }).click();
  await page.locator('.tabs-container .tab.active', { has: page.locator('.label-name', { hasText: /^live\.apflow\.yaml$/ }) }).waitFor({ timeout: 5000 });
}
