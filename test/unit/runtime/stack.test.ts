// A task's log keeps the user's frames of a thrown error and never the runtime's own (issue 13).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { TaskRun } from '../../../runtime/run';
import { userStack } from '../../../runtime/stack';
import { planOf } from './fixtures';

describe('runtime: stacks in task logs', () => {
  const dist = join('/ext', 'dist');

  it('drops the extension’s and Node’s frames and keeps the user’s', () => {
    const stack = [
      'Error: upstream said 503',
      '    at fetchUsers (/work/project/executors/fetch.mjs:12:11)',
      `    at TaskExecution.attempt (${join(dist, 'runtime-host.js')}:20601:5)`,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at Array.map (<anonymous>)',
    ].join('\n');
    assert.equal(userStack(stack, dist), 'Error: upstream said 503\n    at fetchUsers (/work/project/executors/fetch.mjs:12:11)');
  });

  it('logs nothing for an error raised inside the runtime: its message is already the task’s error', () => {
    const stack = `Error: python exited with status 1\n    at ChildProcess.<anonymous> (${join(dist, 'client.js')}:20601:18)\n    at ChildProcess.emit (node:events:518:28)`;
    assert.equal(userStack(stack, dist), null);
  });

  it('keeps a Python traceback whole', () => {
    const traceback = 'Traceback (most recent call last):\n  File "executors/fetch.py", line 3, in run\nValueError: bad value';
    assert.equal(userStack(traceback, dist), traceback);
  });

  it('does not mistake a folder whose name only starts like the runtime’s for it', () => {
    assert.equal(userStack(`Error: x\n    at f (${dist}-old/a.js:1:1)`, dist), `Error: x\n    at f (${dist}-old/a.js:1:1)`);
  });

  it('in a real run, logs the executor’s own frame for a throw from user code', async () => {
    const logs: string[] = [];
    const run = new TaskRun(planOf([{ id: 'a', run: function userExecutor() { throw new Error('kaput'); } }]));
    run.on('task-log', (e) => logs.push(e.text));
    await run.start();
    assert.equal(logs.length, 1);
    assert.match(logs[0], /^Error: kaput\n {4}at (Object\.)?userExecutor \(.*stack\.test\.ts/);
    assert.ok(!/[/\\]runtime[/\\](execution|run)\.ts/.test(logs[0]), logs[0]);
  });
});
