// `npm run test:ui`: a click-through in the real workbench (guides/real-vscode.md, route B): code-server
// driven by playwright-core in headless Chromium, with the extension as users get it: `npm run package`
// builds the VSIX, code-server's `--install-extension` installs it into a fresh extensions dir, and the
// workbench opens without any extension development path.
//   open a tree → click ▶ Run task tree → the run appears in the Runs view → click ↻ Retry failed →
//   the lens reports a completed run → a dependency cycle shows in the Problems panel → a slow run is
//   cancelled from its notification → the Extensions view lists the installed apflow.
//   The failure notification's actions: "Show failed task" reveals the failed task, "Retry failed"
//   (after the cancel) starts a retry. The run page follows a live run, and the failure notification's
//   "Open run" opens it (ui-steps/). Then a second session in Restricted Mode: no run affordance.
// --dev loads the extension from this checkout instead (no packaging; the last step is skipped).
// Screenshots: test-output/ui-*.png (git-ignored); with --docs also docs/screenshot.png (for the README).
import { join } from 'node:path';
import { manifest, openWorkbench, root, runUiTest } from './ui-workbench.mjs';
import { runPageStep } from './ui-steps/run-page.mjs';
import { liveRunPageStep } from './ui-steps/live-run-page.mjs';

await runUiTest('ui', 'UI click-through', async ({ page, session, ws, dev, out, docs, step }) => {

  const openFile = async (name) => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  };
  const lens = (text) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });

  // The cycle first, so that its errors are in the Problems panel later.
  // (double-click: a pinned tab, not a preview the next file replaces — a closed file loses its diagnostics)
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'cycle.apflow.yaml' }).dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: 'cycle.apflow.yaml' }).waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'flow.apflow.yaml' }).dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: 'flow.apflow.yaml' }).waitFor();
  step('flow.apflow.yaml open');

  await lens('Run task tree').waitFor({ timeout: 60000 });
  step('lenses shown');
  await lens('Run task tree').click();
  step('clicked ▶ Run task tree');

  // The Runs view in the apflow activity-bar container.
  await page.locator('.activitybar .action-item a[aria-label^="apflow"]').click();
  // A wider side bar, so that the task labels and their errors fit.
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box) {
    const edge = box.x + box.width;
    await page.mouse.move(edge, box.y + 300);
    await page.waitForTimeout(400); // the sash reacts after a hover delay
    await page.mouse.down();
    await page.mouse.move(edge + 170, box.y + 300, { steps: 8 });
    await page.mouse.up();
  }
  const runsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
  await runsPane.locator('.monaco-list-row', { hasText: 'flow.apflow.yaml' }).first().waitFor({ timeout: 30000 });
  step('the run is in the Runs view');
  await lens('Retry failed (3)').waitFor({ timeout: 30000 });
  await runsPane.locator('.monaco-list-row', { hasText: 'upstream returned 503 for parse' }).waitFor({ timeout: 10000 });
  step('the run failed: ↻ Retry failed (3)');

  // The failure notification, with what to do next; "Show failed task" reveals parse from another tab.
  const failedToast = page.locator('.notification-toast', { hasText: 'flow.apflow.yaml failed' });
  await failedToast.waitFor({ timeout: 15000 });
  for (const action of ['Show failed task', 'Open run', 'Retry failed']) await failedToast.getByRole('button', { name: action }).waitFor({ timeout: 5000 });
  step('failure notification: Show failed task · Open run · Retry failed');
  await page.screenshot({ path: join(out, 'ui-1a-failure-notification.png') });
  await page.locator('.tabs-container .tab', { hasText: 'cycle.apflow.yaml' }).click();
  await page.locator('.tabs-container .tab.active', { hasText: 'cycle.apflow.yaml' }).waitFor();
  await failedToast.getByRole('button', { name: 'Show failed task' }).click();
  await page.locator('.tabs-container .tab.active', { hasText: 'flow.apflow.yaml' }).waitFor({ timeout: 10000 });
  await page.locator('.statusbar-item', { hasText: /Ln 21, Col/ }).waitFor({ timeout: 10000 });
  step('Show failed task: flow.apflow.yaml, cursor on parse (line 21)');

  // Issue 13: the run page, opened from the failed task; back to the tree for the retry.
  await runPageStep({ page, runsPane, out, step, docsDir: docs ? join(root, 'docs', 'images') : null });
  await page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: /^flow\.apflow\.yaml$/ }) }).click();
  await lens('Retry failed (3)').waitFor({ timeout: 10000 });

  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.markers-panel .monaco-list-row');
  await problems.filter({ hasText: 'dependency cycle' }).first().waitFor({ timeout: 30000 });
  await problems.filter({ hasText: 'upstream returned 503 for parse' }).first().waitFor({ timeout: 10000 });
  step('Problems: the cycle and the run diagnostics');
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'ui-1-failed-run.png') });
  if (docs) await page.screenshot({ path: join(root, 'docs', 'screenshot.png') });

  await lens('Retry failed (3)').click();
  step('clicked ↻ Retry failed');
  await lens(/last run: completed · 4\/4 completed/).waitFor({ timeout: 30000 });
  step('the lens reports a completed run');
  await runsPane.locator('.monaco-list-row', { hasText: /completed ·/ }).first().waitFor({ timeout: 10000 });
  await problems.filter({ hasText: 'dependency cycle' }).first().waitFor({ timeout: 10000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'ui-2-retried.png') });

  // Cancel from the progress notification, while the status bar counts.
  await openFile('slow.apflow.yaml');
  await lens('Run task tree').click();
  step('slow.apflow.yaml: clicked ▶ Run task tree');
  await page.locator('.statusbar-item', { hasText: 'apflow: 0/2' }).waitFor({ timeout: 15000 });
  const toast = page.locator('.notification-toast', { hasText: 'running · 0/2' });
  await toast.waitFor({ timeout: 15000 });
  await lens('■ Cancel').waitFor({ timeout: 15000 });
  await lens(/running · 0\/2/).waitFor({ timeout: 15000 });
  step('live lenses: ■ Cancel · running · 0/2');
  await page.screenshot({ path: join(out, 'ui-3-running.png') });
  await toast.getByRole('button', { name: 'Cancel' }).click();
  step('clicked Cancel in the progress notification');
  await lens(/last run: cancelled/).waitFor({ timeout: 15000 });
  await page.locator('.statusbar-item', { hasText: 'apflow: 0/2' }).waitFor({ state: 'hidden', timeout: 5000 });
  step('the run was cancelled; the status-bar item is gone');
  const cancelledToast = page.locator('.notification-toast', { hasText: 'slow.apflow.yaml cancelled' });
  await cancelledToast.waitFor({ timeout: 15000 });
  await cancelledToast.getByRole('button', { name: 'Retry failed' }).click();
  step('clicked Retry failed in the cancelled-run notification');
  await lens(/running · 0\/2/).waitFor({ timeout: 15000 });
  await page.locator('.statusbar-item', { hasText: 'apflow: 0/2' }).waitFor({ timeout: 15000 });
  step('the retry runs: ■ Cancel · running · 0/2');
  await page.screenshot({ path: join(out, 'ui-3b-retry-running.png') });
  await page.locator('.notification-toast', { hasText: 'running · 0/2' }).getByRole('button', { name: 'Cancel' }).click();
  await lens(/last run: cancelled/).waitFor({ timeout: 15000 });

  // Issue 13: the run page follows a live run; "Open run" in the failure notification opens it.
  await liveRunPageStep({ page, ws, openFile, lens, out, step });

  if (session.vsix) {
    // The Extensions view lists the package among the server's installed extensions, with its
    // icon, name and description.
    await page.keyboard.press('Control+Shift+X');
    const installedPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /127\.0\.0\.1:\d+ - installed/i }) });
    const row = installedPane.locator('.monaco-list-row', { hasText: manifest.displayName }).filter({ hasText: manifest.publisher });
    await row.first().waitFor({ timeout: 15000 });
    step(`Extensions view: ${manifest.displayName} installed on the server`);
    await row.first().click();
    await page.locator('.extension-editor .header .name', { hasText: manifest.displayName }).waitFor({ timeout: 15000 });
    // Its details page: installed from a VSIX (the "Source" of the Installation section).
    await page.locator('.extension-editor .more-info', { hasText: /Source\s*VSIX/ }).waitFor({ timeout: 10000 });
    step('its details page: source VSIX');
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'ui-4-installed-vsix.png') });
  }

  // Restricted Mode: a second session (the same package), the folder untrusted. No ▶ in the editor
  // title, no run lens, the Runs view's welcome says why.
  const restricted = await openWorkbench({ folder: ws, dev, step, restricted: true, vsix: session.vsix });
  await session.close();
  try {
    const rpage = restricted.page;
    const rlens = (text) => rpage.locator('.monaco-editor .codelens-decoration a', { hasText: text });
    await rpage.locator('.explorer-folders-view .monaco-list-row', { hasText: 'flow.apflow.yaml' }).dblclick();
    await rpage.locator('.tabs-container .tab.active', { hasText: 'flow.apflow.yaml' }).waitFor();
    await rlens('Trust this workspace to run').waitFor({ timeout: 60000 });
    await rpage.locator('.activitybar .action-item a[aria-label^="apflow"]').click();
    await rpage.locator('.pane-body', { hasText: 'Running is off in Restricted Mode' }).waitFor({ timeout: 15000 });
    const runAffordances = {
      lenses: await rlens(/Run task/).count(),
      editorTitle: await rpage.locator('.editor-actions [aria-label*="Run Task Tree"]').count(),
    };
    if (runAffordances.lenses + runAffordances.editorTitle > 0) throw new Error(`Restricted Mode still offers runs: ${JSON.stringify(runAffordances)}`);
    step('Restricted Mode: no ▶ in the editor title, no run lens, the Runs view says why');
    await rpage.mouse.move(0, 0);
    await rpage.waitForTimeout(500);
    await rpage.screenshot({ path: join(out, 'ui-5-restricted.png') });
  } finally {
    await restricted.close();
  }
});
