import type { TaskServerApi } from '../../src/core';
import type { TrackedTask } from '../../src/core/model/TaskModel';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | null, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(20);
  }
}

export function waitForTask(server: TaskServerApi, taskId: string, what: string, predicate: (t: TrackedTask) => boolean, timeoutMs = 8_000): Promise<TrackedTask> {
  return waitFor(`task ${taskId.slice(0, 8)} ${what}`, () => {
    const task = server.store.get(taskId);
    return task && predicate(task) ? task : undefined;
  }, timeoutMs);
}

export function waitForStatus(server: TaskServerApi, taskId: string, status: TrackedTask['status'], timeoutMs = 8_000): Promise<TrackedTask> {
  return waitForTask(server, taskId, `to be ${status}`, (t) => t.status === status, timeoutMs);
}

export function waitConnected(server: TaskServerApi, timeoutMs = 10_000): Promise<TaskServerApi['state']> {
  return waitFor(`${server.id} to connect (now ${server.state.kind})`, () => (server.state.kind === 'connected' ? server.state : undefined), timeoutMs);
}
