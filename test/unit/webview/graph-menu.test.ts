// The graph's task menu (webview/graph/menu.ts): run items only where runs are allowed and no run is
// going on, a retry only on a task the newest run did not complete, the log only with a run record.
import { strict as assert } from 'node:assert';
import { menuItems, type MenuContext } from '../../../webview/graph/menu';

const labels = (context: Partial<MenuContext>) => menuItems({ canRun: true, running: false, group: false, expanded: false, status: undefined, ...context }).map((i) => i.label);

describe('graph view: the task menu', () => {
  it('offers reveal and run before any run, and a group toggle on a group', () => {
    assert.deepEqual(labels({}), ['Reveal in Editor', 'Run Task with Its Dependencies']);
    assert.deepEqual(labels({ group: true, expanded: true }), ['Reveal in Editor', 'Collapse Group', 'Run Task with Its Dependencies']);
    assert.deepEqual(labels({ group: true }).slice(0, 2), ['Reveal in Editor', 'Expand Group']);
  });

  it('offers a retry on a task the newest run did not complete, and its log on any task of that run', () => {
    assert.deepEqual(labels({ status: 'failed' }), ['Reveal in Editor', 'Run Task with Its Dependencies', 'Retry Failed Tasks of the Newest Run', 'Show Task Log']);
    assert.deepEqual(labels({ status: 'blocked' }).includes('Retry Failed Tasks of the Newest Run'), true);
    assert.deepEqual(labels({ status: 'completed' }), ['Reveal in Editor', 'Run Task with Its Dependencies', 'Show Task Log']);
  });

  it('shows no run item in Restricted Mode (or for a file not on disk), nor while the file is running', () => {
    for (const context of [{ canRun: false }, { running: true }]) {
      assert.deepEqual(labels({ ...context, status: 'failed' }), ['Reveal in Editor', 'Show Task Log'], JSON.stringify(context));
    }
  });

  it('names each action', () => {
    const items = menuItems({ canRun: true, running: false, group: true, expanded: false, status: 'failed' });
    assert.deepEqual(
      items.map((i) => (i.action.kind === 'command' ? i.action.command : i.action.kind)),
      ['reveal', 'toggle', 'runTask', 'retryRun', 'showTaskLog'],
    );
  });
});
