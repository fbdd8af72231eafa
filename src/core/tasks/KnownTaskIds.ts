/**
 * The ids of tasks this client created on one server, persisted so they survive a restart. Servers of the
 * 2026-07-28 generation cannot list tasks at all, and 2025-11-25 servers may not either: then these ids are
 * the whole inventory. Entries are pruned once the server must have forgotten them (TTL plus a grace period
 * during which they are still shown as expired), and the list is capped.
 */
import type { KeyValueStorage } from '../model/ports';
import type { TrackedTask } from '../model/TaskModel';
import { errorMessage } from '../util/errors';
import type { TaskAttribution } from './mergeTask';
import type { TaskStore } from './TaskStore';

export interface KnownTask {
  readonly taskId: string;
  readonly toolName?: string;
  /** What it was started with, when small enough to keep (`rememberedArgs`): rows and hovers show it. */
  readonly toolArgs?: Readonly<Record<string, unknown>>;
  /** 'vscode': VS Code's own client created it through the bridge (the row keeps saying so after a reload). */
  readonly startedBy?: 'vscode';
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
/** Arguments larger than this (as JSON) are not persisted: 500 entries must stay a small state file. */
export const MAX_REMEMBERED_ARGS_CHARS = 2_000;

/** The arguments worth persisting with a known task, or undefined when they are too large to keep. */
export function rememberedArgs(args: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | undefined {
  const json = JSON.stringify(args);
  return json.length <= MAX_REMEMBERED_ARGS_CHARS ? args : undefined;
}
const STORAGE_PREFIX = 'mcpTasks.knownTasks/';

/**
 * Whether any server has a task of ours not seen to end, from the storage keys alone plus their (small)
 * values: cheap enough for the editor to decide at startup whether anything is worth connecting to.
 */
export function hasLiveRememberedTasks(storage: KeyValueStorage, keys: readonly string[]): boolean {
  return keys.some((key) => {
    if (!key.startsWith(STORAGE_PREFIX)) return false;
    const entries = storage.get<unknown>(key);
    return Array.isArray(entries) && entries.some((e) => isKnownTask(e) && e.settledAt === undefined);
  });
}

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

/** Settled tasks go first, oldest first: a running task is the last thing to forget. Returns the ones kept. */
function capEntries(entries: readonly KnownTask[], max: number): KnownTask[] {
  const byAge = [...entries].sort((a, b) => a.createdAt - b.createdAt);
  if (byAge.length <= max) {
    return byAge;
  }
  const victims = [...byAge].sort((a, b) => Number(b.settledAt !== undefined) - Number(a.settledAt !== undefined) || a.createdAt - b.createdAt);
  const dropped = new Set(victims.slice(0, byAge.length - max).map((v) => v.taskId));
  return byAge.filter((e) => !dropped.has(e.taskId));
}

/** One task as two writers saw it: what either learnt is kept (it ended at the earlier time; expired stays). */
function mergeEntry(ours: KnownTask, theirs: KnownTask): KnownTask {
  const settledAt = ours.settledAt === undefined ? theirs.settledAt : theirs.settledAt === undefined ? ours.settledAt : Math.min(ours.settledAt, theirs.settledAt);
  return {
    ...theirs,
    ...ours,
    ...(settledAt !== undefined && { settledAt }),
    ...((ours.expired || theirs.expired) && { expired: true }),
  };
}

/**
 * For storage shared by several processes (the CLI's state file): the value to write for `key` when this
 * process wants `ours`, the storage now holds `theirs` (another process may have written since) and this
 * process last read or wrote `base`. For known-task keys: the union by taskId, each entry with the fields
 * both writers knew, except entries this process dropped itself (pruned or capped: in `base`, not in
 * `ours`). Other keys: `ours` (last writer wins).
 */
export function mergeKnownTasks(key: string, ours: unknown, theirs: unknown, base: unknown, maxEntries = MAX_KNOWN_TASKS): unknown {
  if (!key.startsWith(STORAGE_PREFIX) || !Array.isArray(ours)) {
    return ours;
  }
  const list = (v: unknown): KnownTask[] => (Array.isArray(v) ? v.filter(isKnownTask) : []);
  const mine = new Map(list(ours).map((e) => [e.taskId, e]));
  const dropped = new Set(list(base).map((e) => e.taskId).filter((id) => !mine.has(id)));
  const merged = new Map(mine);
  for (const entry of list(theirs)) {
    const own = mine.get(entry.taskId);
    if (own) {
      merged.set(entry.taskId, mergeEntry(own, entry));
    } else if (!dropped.has(entry.taskId)) {
      merged.set(entry.taskId, entry);
    }
  }
  return capEntries([...merged.values()], maxEntries);
}

export class KnownTaskIds {
  private readonly entries = new Map<string, KnownTask>();
  private writing: Promise<void> = Promise.resolve();
  /** A write is waiting for the one before it: it will save every change made until it starts. */
  private writeQueued = false;

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

  /** What this client remembers of a task it created (the server's report does not say). */
  attribution(taskId: string): TaskAttribution {
    const known = this.entries.get(taskId);
    if (!known) return {};
    const { toolName, toolArgs, startedBy } = known;
    return { startedByUs: true, ...(toolName !== undefined ? { toolName } : {}), ...(toolArgs !== undefined ? { toolArgs } : {}), ...(startedBy ? { startedBy } : {}) };
  }

  /**
   * The held task already carries all `attribution()` would add (or this client did not create it): checked
   * on every repeated reply, so it reads fields and builds nothing.
   */
  attributedIn(held: TrackedTask): boolean {
    const known = this.entries.get(held.taskId);
    if (!known) return true;
    return (
      held.startedByUs &&
      (known.toolName === undefined || known.toolName === held.toolName) &&
      (known.toolArgs === undefined || known.toolArgs === held.toolArgs) &&
      (!known.startedBy || known.startedBy === held.startedBy)
    );
  }

  /**
   * Shows the remembered tasks in the store at once, before the server answers: as expired when we learnt
   * so, else as `unknown` (not confirmed yet, `fetchedAt` 0) until the first answer.
   */
  showIn(store: TaskStore): void {
    for (const entry of this.all()) {
      const remembered = { createdAt: new Date(entry.createdAt).toISOString(), ...(entry.ttl !== undefined ? { ttl: entry.ttl } : {}) };
      if (entry.expired) store.markExpired(entry.taskId, this.attribution(entry.taskId), undefined, remembered);
      else store.ensure(entry.taskId, this.attribution(entry.taskId), remembered);
    }
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
  settle(taskId: string, expired: boolean, at?: number): void {
    const entry = this.entries.get(taskId);
    if (!entry || (entry.settledAt !== undefined && (entry.expired ?? false) === expired)) {
      return;
    }
    // The clock is read only here: every reply about an ended task settles it again (and returns above).
    this.entries.set(taskId, { ...entry, settledAt: entry.settledAt ?? at ?? Date.now(), ...(expired ? { expired } : {}) });
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
    const kept = new Set(capEntries(this.all(), this.maxEntries).map((e) => e.taskId));
    for (const id of [...this.entries.keys()]) {
      if (!kept.has(id)) {
        this.entries.delete(id);
      }
    }
  }

  /**
   * Writes are chained so an older list never lands after a newer one, and coalesced: changes made while a
   * write is under way are saved together by the next one, which takes the list as it is when it starts.
   * VS Code sends the extension's whole workspace state to its main process on every write: one write per
   * started task kept the extension host busy for a minute after 10,000 starts.
   */
  private persist(): void {
    if (this.writeQueued) return;
    this.writeQueued = true;
    this.writing = this.writing
      .then(() => {
        this.writeQueued = false;
        return this.storage.set(this.key, this.all());
      })
      .catch((err: unknown) => this.onError(`cannot save the known task ids: ${errorMessage(err)}`));
  }
}
