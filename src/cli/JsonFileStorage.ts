/**
 * The CLI's `KeyValueStorage`: one small JSON file per config file, so the task ids a run started are
 * known to the next run (a stdio server shows a client only the tasks of its own session, and a server of
 * the 2026 generation cannot list at all). Any number of CLI runs may write at once: each write takes a
 * lock file (created with O_EXCL; one left by a crashed run is taken over after STALE_LOCK_MS), re-reads
 * the file, merges its value into what is there now (`merge`: the core's union of known tasks) and
 * replaces the file atomically (temp file + rename).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mergeKnownTasks, type KeyValueStorage } from '../core';

interface StateFile {
  /** The config file these values belong to, for people who look inside. */
  readonly config?: string;
  readonly values: Record<string, unknown>;
}

/** $MCP_TASKS_STATE_DIR, else $XDG_STATE_HOME/mcp-tasks, else ~/.local/state/mcp-tasks. */
export function stateDirectory(env: Readonly<Record<string, string | undefined>> = process.env, home = os.homedir()): string {
  if (env.MCP_TASKS_STATE_DIR) return path.resolve(env.MCP_TASKS_STATE_DIR);
  // XDG says a relative path is invalid and must be ignored.
  if (env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)) return path.join(env.XDG_STATE_HOME, 'mcp-tasks');
  return path.join(home, '.local', 'state', 'mcp-tasks');
}

/** The state file for one config file: named after the config's absolute path, so projects never mix. */
export function stateFileFor(configPath: string, dir = stateDirectory()): string {
  const absolute = path.resolve(configPath);
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  const folder = path.basename(path.dirname(absolute) === absolute ? absolute : path.dirname(absolute)).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return path.join(dir, `${folder}-${hash}.json`);
}

function readState(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {}; // Missing (first run) or unreadable: start empty; the next write recreates it.
  }
  try {
    const parsed = JSON.parse(text) as Partial<StateFile>;
    return typeof parsed.values === 'object' && parsed.values !== null && !Array.isArray(parsed.values) ? { ...parsed.values } : {};
  } catch {
    return {}; // Corrupt (e.g. hand-edited): known ids are a convenience, not worth failing a command over.
  }
}

/**
 * How one key's value is written when the file may have changed since this process read it: `ours` is the
 * value being set, `theirs` what the file holds now, `base` what this process loaded or last set.
 */
export type MergeValue = (key: string, ours: unknown, theirs: unknown, base: unknown) => unknown;

/** A lock older than this was left by a run that died mid-write (a write takes milliseconds). */
export const STALE_LOCK_MS = 10_000;
/** Waiting longer than this for a live lock means something is wrong: the write fails (and says so). */
const LOCK_WAIT_MS = 2 * STALE_LOCK_MS;

function uniqueSuffix(): string {
  return `${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}`;
}

/** Takes `lock` (O_EXCL create) and returns its release. */
async function acquireLock(lock: string, staleMs: number): Promise<() => Promise<void>> {
  const token = uniqueSuffix();
  const giveUpAt = Date.now() + Math.max(LOCK_WAIT_MS, 2 * staleMs);
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.promises.writeFile(lock, token, { flag: 'wx', mode: 0o600 });
      return async () => {
        // Only our own lock: had it been taken over as stale, it is someone else's now.
        const held = await fs.promises.readFile(lock, 'utf8').catch(() => undefined);
        if (held === token) await fs.promises.rm(lock, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    await takeOverIfStale(lock, staleMs);
    if (Date.now() > giveUpAt) throw new Error(`${lock} is held by another mcp-tasks run; gave up waiting for it`);
    await new Promise((r) => setTimeout(r, Math.min(100, 5 + attempt * 5) * (0.5 + Math.random())));
  }
}

/**
 * Removes `lock` if it is older than `staleMs`. It is renamed away first and checked again, so of two runs
 * that both saw it stale only one removes it, and a fresh lock taken meanwhile is put back.
 */
async function takeOverIfStale(lock: string, staleMs: number): Promise<void> {
  const stat = await fs.promises.stat(lock).catch(() => undefined);
  if (!stat || Date.now() - stat.mtimeMs < staleMs) return;
  const aside = `${lock}.${uniqueSuffix()}.stale`;
  try {
    await fs.promises.rename(lock, aside);
  } catch {
    return; // Another run took it over first.
  }
  const moved = await fs.promises.stat(aside).catch(() => undefined);
  if (moved && Date.now() - moved.mtimeMs < staleMs) {
    // Not the stale lock but a live one created since: give it back (link fails if yet another exists).
    await fs.promises.link(aside, lock).catch(() => undefined);
  }
  await fs.promises.rm(aside, { force: true });
}

export interface JsonFileStorageOptions {
  /** Default: the core's known-task merge (union by taskId); other keys: last writer wins. */
  readonly merge?: MergeValue;
  readonly staleLockMs?: number;
}

export class JsonFileStorage implements KeyValueStorage {
  private readonly values: Record<string, unknown>;
  /** Per key, what this process loaded or last set (the base of a three-way merge). */
  private readonly base: Record<string, unknown>;
  private readonly merge: MergeValue;
  private readonly staleLockMs: number;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly configPath?: string,
    options: JsonFileStorageOptions = {},
  ) {
    this.values = readState(file);
    this.base = { ...this.values };
    this.merge = options.merge ?? mergeKnownTasks;
    this.staleLockMs = options.staleLockMs ?? STALE_LOCK_MS;
  }

  get<T>(key: string): T | undefined {
    return this.values[key] as T | undefined;
  }

  set(key: string, value: unknown): Promise<void> {
    if (value === undefined) delete this.values[key];
    else this.values[key] = value;
    // Chained: an older snapshot never lands after a newer one.
    const write = this.writing.then(() => this.write(key, value));
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** Resolves once every write started so far has reached the disk (or failed). */
  flushed(): Promise<void> {
    return this.writing;
  }

  private async write(key: string, value: unknown): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const release = await acquireLock(`${this.file}.lock`, this.staleLockMs);
    try {
      // Re-read under the lock: other runs may have written this key or others since we loaded.
      const onDisk = readState(this.file);
      const merged = value === undefined ? undefined : this.merge(key, value, onDisk[key], this.base[key]);
      if (merged === undefined) delete onDisk[key];
      else onDisk[key] = merged;
      const state: StateFile = { ...(this.configPath !== undefined && { config: path.resolve(this.configPath) }), values: onDisk };
      const temp = `${this.file}.${uniqueSuffix()}.tmp`;
      try {
        await fs.promises.writeFile(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
        await fs.promises.rename(temp, this.file);
      } catch (e) {
        await fs.promises.rm(temp, { force: true }).catch(() => undefined);
        throw e;
      }
      // The base is what our caller knows (it never sees the merged value: get() keeps returning what it
      // set), so an entry is "dropped by us" only if our caller had it and took it out.
      this.base[key] = value;
    } finally {
      await release();
    }
  }
}
