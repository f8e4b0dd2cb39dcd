// The task lenses (spec 2.3, 4.2), one line above each task: `▶ Run task` where the client may run the
// file, the task's status in the newest run the client reported, and `N dependents · M dependencies`
// (resolved when shown). Above `apflow.codeLens.perTaskLimit` tasks only the status lenses remain, once
// the run has ended: a lens per task of a 5,000-task file costs more than it tells. The list is computed once per analysed
// version and per change of run status, trust or settings, never per request.
import type { CodeLens } from 'vscode-languageserver/node';
import { taskKey } from '../analysis';
import { RUN_TASK_COMMAND, SHOW_TASK_RECORD_COMMAND } from '../protocol';
import type { Current } from './documents';
import type { RunStatusStore } from './run-status';
import type { ServerSettings } from './settings';
import type { TaskData } from './task-data';
import { taskNames } from './task-names';

interface Memo {
  key: string;
  lenses: CodeLens[];
}

export function taskLenses(doc: Current, settings: ServerSettings, runStatus: RunStatusStore): CodeLens[] {
  const memo = doc.memo<Memo>('lenses', () => ({ key: '', lenses: [] }));
  const mayRun = runStatus.mayRun(doc.uri);
  const key = `${runStatus.stamp}:${mayRun}:${settings.codeLens}:${settings.perTaskLimit}`;
  if (memo.key !== key) {
    memo.lenses = compute(doc, settings, runStatus, mayRun);
    memo.key = key;
  }
  return memo.lenses;
}

function compute(doc: Current, settings: ServerSettings, runStatus: RunStatusStore, mayRun: boolean): CodeLens[] {
  const full = doc.snapshot.taskCount <= settings.perTaskLimit;
  // A large file without a run has no lenses: answered without listing its tasks.
  if (!full && !(mayRun && runStatus.hasRun(doc.uri))) return [];
  const tasks = taskNames(doc);
  const run = mayRun ? runStatus.runOf(doc.uri, tasks) : null;
  // Above the limit the status lenses wait for the run's end: thousands of lenses redrawn every few
  // seconds starve VS Code's lens updates (the lens above the tree's included); the editor's gutter
  // icons (client/run-decorations.ts) show the live status meanwhile.
  if (!full && (!run || run.running)) return [];
  const out: CodeLens[] = [];
  for (const lens of doc.snapshot.codeLenses()) {
    const { range } = lens;
    if (full && mayRun && !run?.running) {
      const key = taskKey(tasks[lens.task], lens.task);
      const title = lens.serverOnly ? '▶ Run task (needs apflow)' : '▶ Run task';
      const tooltip = lens.serverOnly
        ? `Run '${key}' and its dependencies: its executor is an apflow built-in that needs an apflow server, or apflow installed in the workspace's Python`
        : `Run '${key}' and its dependencies`;
      out.push({ range, command: { title, command: RUN_TASK_COMMAND, arguments: [doc.uri, key], tooltip } });
    }
    const record = run?.byTask[lens.task];
    if (record && run) {
      out.push({
        range,
        command: { title: record.title ?? record.status, command: SHOW_TASK_RECORD_COMMAND, arguments: [{ runId: run.runId, taskId: record.id }], tooltip: 'Show the task record of the newest run' },
      });
    }
    if (full && settings.codeLens) out.push({ range, data: { uri: doc.uri, key: lens.key, index: lens.task } satisfies TaskData });
  }
  return out;
}
