/** A bounded set of recently seen keys: remembers the last `capacity` keys, forgets the oldest. */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 1_000) {}

  /** True when the key was new (and is now remembered). */
  add(key: string): boolean {
    if (this.keys.has(key)) {
      return false;
    }
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) {
        this.keys.delete(oldest);
      }
    }
    return true;
  }

  clear(): void {
    this.keys.clear();
  }
}
