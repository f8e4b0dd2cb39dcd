// `npm run test:ui:graph`: the graph view (issue 13) clicked through in the real workbench, like
// run-ui-test.mjs (code-server + playwright-core in headless Chromium, the packaged VSIX installed):
//   open a tree → click the `Show graph` lens → the graph shows the group and its edges → ▶ Run task
//   tree colours the nodes live → clicking a node reveals its task in the editor → moving the cursor
//   highlights the node → a node's menu offers run, retry and log → a dependency cycle is drawn in red →
//   after a reload the panel is restored.
// --dev loads the extension from this checkout (no packaging). Screenshots: test-output/ui-graph-*.png
// (git-ignored); with --docs also docs/images/graph-*.png (for the README).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runUiTest } from './ui-workbench.mjs';

await runUiTest('ui-graph', 'UI graph click-through', async ({ page, ws, out, docs, step }) => {
  const flowLines = readFileSync(join(ws, 'flow.apflow.yaml'), 'utf8').split('\n');
  const lineOf = (text) => flowLines.findIndex((l) => l.includes(text)) + 1;
  const figures = [];

  // Lenses of the editor in the active group (the graph panel opens a second group).
  const lens = (text) => page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: text });
  const openFromExplorer = async (name) => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).dblclick();
    await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  };
  // A webview's page sits in two nested iframes in code-server; the graph's is the one with #graph.
  const graphFrame = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const shot = async (name) => {
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(out, `ui-graph-${name}.png`) });
    if (docs) {
      mkdirSync(join(root, 'docs', 'images'), { recursive: true });
      await page.screenshot({
        path: join(root, 'docs', 'images', `graph-${name}.png`),
      });
    }
  };

  await openFromExplorer('flow.apflow.yaml');
  await lens('Show graph').waitFor({ timeout: 60000 });
  await lens('Show graph').click();
  const frame = graphFrame();
  const box = (key) => frame.locator(`g.box[data-key="${key}"]`);
  await box('publish').waitFor({ timeout: 30000 });
  step('clicked Show graph: the graph is drawn');
  // The group `report` (parent_id) is a box around its three children; two dependency edges among
  // the children are drawn; the aggregate's own dependencies on its children are counted on its box.
  await frame.locator('g.box.group[data-key="report"]').waitFor();
  const edges = await frame.locator('path.edge').count();
  if (edges !== 2) throw new Error(`expected the 2 edges fetch → parse → publish, saw ${edges}`);
  const groupSub = await frame.locator('g.box.group[data-key="report"] text.sub').textContent();
  if (!groupSub?.includes('waits for 3 inside')) throw new Error(`the group box should say it waits for its 3 children: ${groupSub}`);
  const path = await frame.locator('#path').textContent();
  if (!path?.includes('Critical path: 4 tasks')) throw new Error(`critical path before any run: ${path}`);
  const body = frame.locator('body');
  figures.push(`flow.apflow.yaml (4 tasks): request → first paint ${await body.getAttribute('data-paint-ms')} ms, layout ${await body.getAttribute('data-layout-ms')} ms`);
  step(`groups, edges and the critical path shown (${figures.at(-1)})`);
  await shot('1-opened');

  // Live colours during a run: the first task runs for 1.5 s, then parse fails.
  await lens('Run task tree').click();
  await frame.locator('g.box.s-in_progress[data-key="fetch"]').waitFor({ timeout: 20000 });
  step('▶ Run task tree: fetch is coloured as running');
  await shot('2-running');
  await frame.locator('g.box.s-failed[data-key="parse"]').waitFor({ timeout: 30000 });
  await frame.locator('g.box.s-completed[data-key="fetch"]').waitFor({ timeout: 5000 });
  await frame.locator('g.box.s-blocked[data-key="publish"]').waitFor({ timeout: 5000 });
  const estimated = await frame.locator('#path').textContent();
  if (!/estimated/.test(estimated ?? '')) throw new Error(`after the run the critical path should be estimated from durations: ${estimated}`);
  step(`after the run: fetch completed, parse failed, publish blocked; ${estimated}`);
  await shot('3-failed-run');

  // Click a node → its task is revealed in the editor (the cursor on its name).
  await box('publish').locator('text.label').click();
  await page.locator('.statusbar-item', { hasText: `Ln ${lineOf('name: Publish')},` }).waitFor({ timeout: 10000 });
  step(`clicked Publish in the graph: the editor's cursor is on line ${lineOf('name: Publish')}`);

  // Move the cursor in the editor → its task's node is highlighted.
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(lineOf('id: fetch')));
  await page.keyboard.press('Enter');
  await frame.locator('g.box.selected[data-key="fetch"]').waitFor({ timeout: 10000 });
  step('moved the cursor to fetch in the editor: its node is highlighted');

  // A node's menu: reveal, run, retry (the newest run failed) and its log.
  await box('parse').locator('text.label').click({ button: 'right' });
  const menu = frame.locator('#menu');
  for (const item of ['Reveal in Editor', 'Run Task with Its Dependencies', 'Retry Failed Tasks of the Newest Run', 'Show Task Log'])
    await menu.getByRole('button', { name: item }).waitFor({ timeout: 5000 });
  step('the node menu offers reveal, run, retry and log');
  await shot('4-menu');
  await page.keyboard.press('Escape');

  // A cycle is drawn in red.
  await openFromExplorer('cycle.apflow.yaml');
  await lens('Show graph').click();
  await page.locator('.tabs-container .tab', { hasText: 'Graph: cycle.apflow.yaml' }).waitFor({ timeout: 15000 });
  const cycleFrame = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
  await cycleFrame.locator('g.box[data-key="store"]').waitFor({ timeout: 30000 });
  const red = await cycleFrame.locator('path.edge.cycle').count();
  if (red !== 2) throw new Error(`expected the 2 edges of the fetch ⇄ store cycle in red, saw ${red}`);
  step('cycle.apflow.yaml: the fetch ⇄ store cycle is drawn in red');
  await shot('5-cycle');

  // The figures in code-server: a 10,000-task tree (the benchmark's generator), request → first paint,
  // then opening its root (its groups of 50 stay closed).
  execFileSync(process.execPath, ['-r', 'esbuild-register', join(root, 'test', 'bench', 'generate.ts'), '10000', join(ws, 'big.apflow.yaml')], { cwd: root });
  await openFromExplorer('big.apflow.yaml');
  await lens('Show graph').waitFor({ timeout: 60000 });
  await lens('Show graph').click();
  await page.locator('.tabs-container .tab.active', { hasText: 'Graph: big.apflow.yaml' }).waitFor({ timeout: 15000 });
  const bigFrame = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
  await bigFrame.locator('g.box.collapsed[data-key="root"]').waitFor({ timeout: 60000 });
  let bigBody = bigFrame.locator('body');
  figures.push(`big.apflow.yaml (10,000 tasks), clicked as soon as the file opened: request → first paint ${await bigBody.getAttribute('data-paint-ms')} ms (the server's first analysis of the file included)`);
  // Again with the file analysed: close the panel and show the graph again (a new page and worker).
  const bigTab = page.locator('.tabs-container .tab', { hasText: 'Graph: big.apflow.yaml' });
  await bigTab.locator('.tab-actions .action-label').click();
  await bigTab.waitFor({ state: 'detached', timeout: 15000 });
  await page.locator('.tabs-container .tab.active', { hasText: 'big.apflow.yaml' }).click();
  await lens('Show graph').click();
  await page.locator('.tabs-container .tab.active', { hasText: 'Graph: big.apflow.yaml' }).waitFor({ timeout: 15000 });
  const warmFrame = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
  await warmFrame.locator('g.box.collapsed[data-key="root"]').waitFor({ timeout: 60000 });
  bigBody = warmFrame.locator('body');
  figures.push(`big.apflow.yaml (10,000 tasks), analysed: request → first paint ${await bigBody.getAttribute('data-paint-ms')} ms (layout, with starting the worker, ${await bigBody.getAttribute('data-layout-ms')} ms)`);
  await warmFrame.locator('g.box.collapsed[data-key="root"] text.toggle').click();
  await warmFrame.locator('g.box.group[data-key="root"]').waitFor({ timeout: 30000 });
  await warmFrame.locator('g.box.collapsed[data-key="g0"]').waitFor({ timeout: 30000 });
  figures.push(`big.apflow.yaml: opening the root, ${await bigBody.getAttribute('data-boxes')} boxes laid out and drawn in ${await bigBody.getAttribute('data-layout-ms')} ms`);
  step(`10,000 tasks: ${figures.slice(-3).join('; ')}`);
  await shot('6-big-tree');

  // Reload the window: the graph panels come back (WebviewPanelSerializer).
  await page.reload();
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  const restored = page.locator('.tabs-container .tab', {
    hasText: 'Graph: flow.apflow.yaml',
  });
  await restored.waitFor({ timeout: 30000 });
  await restored.click();
  // Several graph panels are visible now: look for the one drawing flow.apflow.yaml among the page's frames.
  const until = Date.now() + 60000;
  for (;;) {
    const drawn = await Promise.all(page.frames().map((f) => f.locator('g.box[data-key="publish"]').count().catch(() => 0)));
    if (drawn.some((n) => n > 0)) break;
    if (Date.now() > until) throw new Error('the restored graph of flow.apflow.yaml was not drawn');
    await page.waitForTimeout(250);
  }
  step('after a reload the graph panel is restored and drawn');
  console.log(figures.map((f) => `  figure: ${f}`).join('\n'));
});
