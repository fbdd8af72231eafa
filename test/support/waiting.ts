/**
 * Bounded waits for the Node tests, the extension-host tests and the benches: every wait names what it
 * waits for and fails after a timeout the caller can see.
 */
import * as assert from 'node:assert/strict';
import type { ConnectionState, TaskServerApi } from '../../src/core';
import type { TrackedTask } from '../../src/core/model/TaskModel';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface WaitOptions {
  /** Default 8 s. */
  readonly timeoutMs?: number;
  /** Time between probes; default 20 ms. */
  readonly everyMs?: number;
  /** Keep probing when the probe throws (the last error goes into the timeout message); default: the error fails the wait. */
  readonly retryErrors?: boolean;
}

type Probe<T> = () => T | undefined | false | null | Promise<T | undefined | false | null>;

/**
 * Probes until `probe` returns something truthy and returns it; fails after the timeout (a number is
 * the timeout in ms). `what` may be a function, read only when the wait fails (for the state at that time).
 */
export async function waitFor<T>(what: string | (() => string), probe: Probe<T>, options: number | WaitOptions = {}): Promise<T> {
  const { timeoutMs = 8_000, everyMs = 20, retryErrors = false } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const label = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}${lastError ? ` (last error: ${lastError})` : ''}`);
    }
    await sleep(everyMs);
  }
}

/** Fails when `promise` has not settled within `ms`: how "stays responsive" is measured. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The rejection of `promise`, failing if it resolves. */
export async function rejection(promise: Promise<unknown>, what: string): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  assert.fail(`${what} should have failed`);
}

export function waitForTask(server: TaskServerApi, taskId: string, what: string, predicate: (t: TrackedTask) => boolean, timeoutMs = 8_000): Promise<TrackedTask> {
  return waitFor(
    () => `${server.id} task ${taskId} ${what} (now ${JSON.stringify(server.store.get(taskId))})`,
    () => {
      const task = server.store.get(taskId);
      return task && predicate(task) ? task : undefined;
    },
    timeoutMs,
  );
}

export function waitForStatus(server: TaskServerApi, taskId: string, status: TrackedTask['status'], timeoutMs = 8_000): Promise<TrackedTask> {
  return waitForTask(server, taskId, `to be ${status}`, (t) => t.status === status, timeoutMs);
}

export function waitConnected(server: TaskServerApi, timeoutMs = 10_000): Promise<TaskServerApi['state']> {
  return waitFor(() => `${server.id} to connect (state now ${JSON.stringify(server.state)})`, () => (server.state.kind === 'connected' ? server.state : undefined), timeoutMs);
}

export function waitFailed(server: TaskServerApi, timeoutMs = 10_000): Promise<Extract<ConnectionState, { kind: 'failed' }>> {
  return waitFor(() => `${server.id} to fail (state now ${JSON.stringify(server.state)})`, () => (server.state.kind === 'failed' ? server.state : undefined), timeoutMs);
}
