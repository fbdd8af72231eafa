import type { KeyValueStorage } from '../../src/core/model/ports';

/** KeyValueStorage in memory; values go through JSON as they would in a real store. */
export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, string>();

  get<T>(key: string): T | undefined {
    const raw = this.data.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}
