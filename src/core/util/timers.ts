/**
 * Timers that never keep the process alive: the CLI and the tests must be able to exit while servers are
 * still being polled or reconnected.
 */
export type TimerHandle = ReturnType<typeof setTimeout>;

export function unrefTimeout(fn: () => void, ms: number): TimerHandle {
  const handle = setTimeout(fn, Math.max(0, ms));
  handle.unref?.();
  return handle;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => unrefTimeout(resolve, ms));
}
