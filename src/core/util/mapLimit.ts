/**
 * Runs `fn` over `items` with at most `limit` in flight, so an inventory of hundreds of known ids does not
 * open hundreds of requests at once. `fn` must handle its own errors; a throw here is a bug.
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
