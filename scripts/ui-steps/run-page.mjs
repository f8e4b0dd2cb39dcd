// UI step of issue 13: a click on a failed task in the Runs view opens the run page (a webview, in
// code-server two nested iframes) with that task selected: the timeline is drawn, the table lists the
// run's tasks, and the task's details show its error and its log. Then the page's "Show record as
// JSON" opens the raw record in a tab named for the task and the run.
import { join } from 'node:path';

export async function runPageStep({ page, runsPane, out, step, docsDir }) {
  await runsPane.locator('.monaco-list-row', { hasText: 'upstream returned 503 for parse' }).click();
  const tab = page.locator('.tabs-container .tab.active', { hasText: /flow\.apflow\.yaml · run [0-9a-f]{8}/ });
  await tab.waitFor({ timeout: 15000 });
  step('a click on the failed task opened the run page');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await frame.locator('#timeline-canvas').waitFor({ timeout: 15000 });
  await frame.locator('#summary', { hasText: 'failed' }).waitFor({ timeout: 10000 });
  await frame.locator('#table .row', { hasText: 'publish' }).waitFor({ timeout: 10000 });
  const details = frame.locator('#details');
  await details.locator('h2', { hasText: 'parse' }).waitFor({ timeout: 10000 });
  await details.locator('pre.error', { hasText: 'upstream returned 503 for parse' }).first().waitFor({ timeout: 10000 });
  await details.locator('pre.log', { hasText: 'first attempt: failing on purpose' }).waitFor({ timeout: 10000 });
  await details.locator('h3', { hasText: 'Merged from fetch' }).waitFor({ timeout: 10000 });
  const painted = await frame.locator('#timeline-canvas').evaluate((canvas) => {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
    return ink;
  });
  if (painted < 500) throw new Error(`the timeline canvas is nearly empty (${painted} painted pixels)`);
  step(`run page: timeline drawn (${painted} pixels), table, parse's error and log shown`);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, 'ui-run-page.png') });
  if (docsDir) await page.screenshot({ path: join(docsDir, 'run-page.png') });

  // A task from the table, then its raw record.
  await frame.locator('#table .row', { hasText: 'fetch' }).click();
  await details.locator('pre.log', { hasText: 'fetched 3 rows' }).waitFor({ timeout: 10000 });
  await details.locator('a', { hasText: 'Show record as JSON' }).click();
  await page.locator('.tabs-container .tab.active', { hasText: /fetch · run [0-9a-f]{8} \(JSON\)/ }).waitFor({ timeout: 10000 });
  step('the raw record opened as "fetch · run … (JSON)"');
  await page.screenshot({ path: join(out, 'ui-run-record-json.png') });
}
