/**
 * The ids of tasks this client created on one server, persisted so they survive a restart. Servers of the
 * 2026-07-28 generation cannot list tasks at all, and 2025-11-25 servers may not either: then these ids are
 * the whole inventory. Entries are pruned once the server must have forgotten them (TTL plus a grace period
 * during which they are still shown as expired), and the list is capped.
 */
import type { KeyValueStorage } from '../model/ports';
import { errorMessage } from '../util/errors';

export interface KnownTask {
  readonly taskId: string;
  readonly toolName?: string;
  /** When we created it, ms since epoch (our clock: the server's may differ). */
  readonly createdAt: number;
  /** As the server granted it: ms, null = unlimited, absent = not said. */
  readonly ttl?: number | null;
  /** When we saw it end (terminal or expired): some servers count the TTL from there. */
  readonly settledAt?: number;
  /** The server answered -32602 for it: it is gone. */
  readonly expired?: boolean;
}

/** How long an entry outlives its TTL: long enough to show it as expired after a restart. */
export const KNOWN_TASK_GRACE_MS = 60 * 60_000;
export const MAX_KNOWN_TASKS = 500;
const STORAGE_PREFIX = 'mcpTasks.knownTasks/';

function isKnownTask(v: unknown): v is KnownTask {
  const o = v as Partial<KnownTask> | null;
  return typeof o === 'object' && o !== null && typeof o.taskId === 'string' && typeof o.createdAt === 'number';
}

/** When the entry may go; undefined = only the size cap removes it. */
export function pruneTime(entry: KnownTask): number | undefined {
  if (typeof entry.ttl === 'number') {
    return Math.max(entry.createdAt, entry.settledAt ?? 0) + entry.ttl + KNOWN_TASK_GRACE_MS;
  }
  // Unlimited (or unstated) TTL: the server keeps it, so do we, unless the server has lost it.
  return entry.expired && entry.settledAt !== undefined ? entry.settledAt + KNOWN_TASK_GRACE_MS : undefined;
}

export class KnownTaskIds {
  private readonly entries = new Map<string, KnownTask>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: KeyValueStorage,
    serverId: string,
    private readonly onError: (message: string) => void,
    private readonly maxEntries = MAX_KNOWN_TASKS,
  ) {
    this.key = STORAGE_PREFIX + serverId;
    const stored = storage.get<unknown>(this.key);
    for (const e of Array.isArray(stored) ? stored : []) {
      if (isKnownTask(e)) {
        this.entries.set(e.taskId, e);
      }
    }
  }

  private readonly key: string;

  get(taskId: string): KnownTask | undefined {
    return this.entries.get(taskId);
  }

  has(taskId: string): boolean {
    return this.entries.has(taskId);
  }

  /** Oldest first. */
  all(): KnownTask[] {
    return [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  get size(): number {
    return this.entries.size;
  }

  add(entry: KnownTask): void {
    this.entries.set(entry.taskId, entry);
    this.enforceCap();
    this.persist();
  }

  /** Records that the task ended (or that the server lost it), once each. */
  settle(taskId: string, expired: boolean, at = Date.now()): void {
    const entry = this.entries.get(taskId);
    if (!entry || (entry.settledAt !== undefined && (entry.expired ?? false) === expired)) {
      return;
    }
    this.entries.set(taskId, { ...entry, settledAt: entry.settledAt ?? at, ...(expired ? { expired } : {}) });
    this.persist();
  }

  /** Drops entries past their prune time (except those `keep` says are still live); returns their ids. */
  prune(now = Date.now(), keep: (taskId: string) => boolean = () => false): string[] {
    const dropped: string[] = [];
    for (const entry of this.entries.values()) {
      const at = pruneTime(entry);
      if (at !== undefined && now > at && !keep(entry.taskId)) {
        dropped.push(entry.taskId);
      }
    }
    for (const id of dropped) {
      this.entries.delete(id);
    }
    if (dropped.length > 0) {
      this.persist();
    }
    return dropped;
  }

  /** Resolves when everything written so far is in storage. */
  flushed(): Promise<void> {
    return this.writing;
  }

  private enforceCap(): void {
    if (this.entries.size <= this.maxEntries) {
      return;
    }
    // Settled tasks go first, oldest first: a running task is the last thing to forget.
    const victims = this.all().sort((a, b) => Number(b.settledAt !== undefined) - Number(a.settledAt !== undefined) || a.createdAt - b.createdAt);
    for (const victim of victims.slice(0, this.entries.size - this.maxEntries)) {
      this.entries.delete(victim.taskId);
    }
  }

  /** Writes are chained so an older snapshot never lands after a newer one. */
  private persist(): void {
    const snapshot = this.all();
    this.writing = this.writing
      .then(() => this.storage.set(this.key, snapshot))
      .catch((err: unknown) => this.onError(`cannot save the known task ids: ${errorMessage(err)}`));
  }
}
