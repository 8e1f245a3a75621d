// CoalescingTask: passes never overlap, and requests made during a pass are answered by exactly
// one more pass (the leadership refresh relies on both: watch events arrive in bursts).
import { CoalescingTask } from '../src/cluster/coalescing-task';

/** A task whose passes finish only when the test says so. */
function controlledTask() {
  const finishers: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const task = new CoalescingTask(async () => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((resolve) => finishers.push(resolve));
    running -= 1;
  });
  const finishPass = async () => {
    finishers.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { task, finishPass, passes: () => finishers.length, maxRunning: () => maxRunning };
}

describe('CoalescingTask', () => {
  it('requests during a pass are answered by one more pass, never by overlapping ones', async () => {
    const { task, finishPass, passes, maxRunning } = controlledTask();
    const first = task.run();
    await task.run();
    await task.run(); // both joined the running pass at once
    await finishPass();
    expect(passes()).toBe(1); // the one follow-up pass, started by the finished one
    await finishPass();
    await first;
    expect(passes()).toBe(0);
    expect(maxRunning()).toBe(1);
  });

  it('a request after the passes ended starts a new pass', async () => {
    const { task, finishPass, passes } = controlledTask();
    const first = task.run();
    await finishPass();
    await first;
    const second = task.run();
    expect(passes()).toBe(1);
    await finishPass();
    await second;
  });
});
