// Which items a task's menu in the graph offers: pure, so that the rule is tested on its own. The run
// items appear only where runs are allowed (a trusted workspace, a file on disk) and no run of the file
// is going on; the view itself runs nothing, and the extension checks again when asked.
import type { GraphCommand, GraphStatus } from '../../protocol';

export type MenuAction = { kind: 'reveal' } | { kind: 'toggle' } | { kind: 'command'; command: GraphCommand };

export interface MenuItem {
  label: string;
  action: MenuAction;
}

export interface MenuContext {
  canRun: boolean;
  running: boolean;
  /** The task is a group, and whether it is open. */
  group: boolean;
  expanded: boolean;
  /** The task's status in the newest run of the file, if that run has it. */
  status: GraphStatus | undefined;
}

export function menuItems(context: MenuContext): MenuItem[] {
  const items: MenuItem[] = [{ label: 'Reveal in Editor', action: { kind: 'reveal' } }];
  if (context.group) items.push({ label: context.expanded ? 'Collapse Group' : 'Expand Group', action: { kind: 'toggle' } });
  const mayRun = context.canRun && !context.running;
  if (mayRun) items.push({ label: 'Run Task with Its Dependencies', action: { kind: 'command', command: 'runTask' } });
  // A retry re-runs what did not complete in the newest run: offered on a task of it that did not.
  if (mayRun && context.status !== undefined && context.status !== 'completed') items.push({ label: 'Retry Failed Tasks of the Newest Run', action: { kind: 'command', command: 'retryRun' } });
  if (context.status !== undefined) items.push({ label: 'Show Task Log', action: { kind: 'command', command: 'showTaskLog' } });
  return items;
}
