/**
 * The CLI's `KeyValueStorage`: one small JSON file per config file, so the task ids a run started are
 * known to the next run (a stdio server shows a client only the tasks of its own session, and a server of
 * the 2026 generation cannot list at all). Writes are atomic (temp file + rename) and merge with what is on
 * disk at that moment, so two CLI runs against different servers of one config do not undo each other.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KeyValueStorage } from '../core';

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

export class JsonFileStorage implements KeyValueStorage {
  private readonly values: Record<string, unknown>;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly configPath?: string,
  ) {
    this.values = readState(file);
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
    // Re-read: another run may have written other keys since we loaded.
    const onDisk = readState(this.file);
    if (value === undefined) delete onDisk[key];
    else onDisk[key] = value;
    const state: StateFile = { ...(this.configPath !== undefined && { config: path.resolve(this.configPath) }), values: onDisk };
    const temp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
    try {
      await fs.promises.writeFile(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
      await fs.promises.rename(temp, this.file);
    } catch (e) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw e;
    }
  }
}
