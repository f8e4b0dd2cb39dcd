// "Run task" (spec 3.6): the task and its transitive dependencies, nothing else, still in file order.
import type { PlanTask, RunPlan } from './types';

export function selectTask(plan: RunPlan, target: number): RunPlan {
  const keep = new Uint8Array(plan.tasks.length);
  const stack = [target];
  keep[target] = 1;
  for (let i = stack.pop(); i !== undefined; i = stack.pop()) {
    for (const dep of plan.tasks[i].dependencies) {
      if (!keep[dep.index]) {
        keep[dep.index] = 1;
        stack.push(dep.index);
      }
    }
  }
  const newIndex = new Int32Array(plan.tasks.length).fill(-1);
  const tasks: PlanTask[] = [];
  plan.tasks.forEach((task, i) => {
    if (!keep[i]) return;
    newIndex[i] = tasks.length;
    tasks.push(task);
  });
  return {
    ...plan,
    targetTask: plan.tasks[target].id,
    tasks: tasks.map((task) => ({ ...task, dependencies: task.dependencies.map((d) => ({ ...d, index: newIndex[d.index] })) })),
  };
}
