/**
 * Ending a stdio server's whole process tree. A configured command is often a wrapper (npx → npm exec →
 * sh → node, uvx, a shell script) and killing only the wrapper leaves the real server running, reparented
 * to PID 1 and holding our pipes open (which kept the CLI's event loop alive for seconds).
 *
 * Linux/macOS: the server is spawned as the leader of its own process group (`detached: true`), and the
 * group is signalled: SIGTERM, then SIGKILL after a grace period. Windows: `taskkill /T /F` on the tree.
 * Groups still alive when this process exits get SIGTERM from a synchronous 'exit' hook.
 */
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export const IS_WINDOWS = process.platform === 'win32';

/** Process groups (POSIX) or root pids (Windows) of servers not yet stopped. */
const live = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const id of live) {
      if (IS_WINDOWS) {
        spawnSync('taskkill', ['/T', '/F', '/PID', String(id)], { windowsHide: true, stdio: 'ignore', timeout: 2_000 });
      } else {
        signalGroup(id, 'SIGTERM');
      }
    }
    live.clear();
  });
}

/** Remembers a started server so that it is stopped when this process exits. */
export function trackProcessTree(pid: number): void {
  installExitHook();
  live.add(pid);
}

/** False when the group is gone (ESRCH) or cannot be signalled. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group exists (zombies included): one kill(2), cheap. */
export function groupExists(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/**
 * Whether any process of the group still runs. A killed descendant whose parent died first is a zombie
 * until PID 1 reaps it, and zombies still count as group members for kill(2); some PID 1s (containers)
 * reap only every second or two, or never. On Linux a group of zombies only is therefore gone: they run
 * nothing. The /proc scan is asynchronous (it can take tens of ms on some kernels) and only made when
 * kill(2) still finds the group.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  if (!groupExists(pgid)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = (await readdir('/proc')).filter((e) => e.charCodeAt(0) >= 48 && e.charCodeAt(0) <= 57);
  } catch {
    return true; // no /proc to read: trust kill(2)
  }
  const running = await Promise.all(
    entries.map(async (entry) => {
      try {
        const stat = await readFile(`/proc/${entry}/stat`, 'latin1');
        // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X';
      } catch {
        return false; // ended meanwhile
      }
    }),
  );
  return running.includes(true);
}

/**
 * Kept referenced on purpose: a host awaiting `dispose()` with nothing else pending must not exit halfway
 * through stopping a server (the waits are bounded, so they never hold the process for long).
 */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true once `check` is false, or false after `ms`. */
async function waitUntilGone(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await check()) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** "The group still runs": cheap kill(2) checks, and a look for live members (not zombies) every fifth time. */
function stillRunning(pgid: number): () => Promise<boolean> {
  let n = 0;
  return async () => groupExists(pgid) && (n++ % 5 !== 1 || (await groupAlive(pgid)));
}

export interface StopTiming {
  /** How long the server may take to exit by itself once its stdin is closed. */
  readonly eofGraceMs: number;
  /** How long after SIGTERM before SIGKILL. */
  readonly termGraceMs: number;
}

export const DEFAULT_STOP_TIMING: StopTiming = { eofGraceMs: 200, termGraceMs: 2_000 };

/**
 * Stops the tree of `child` (spawned detached on POSIX): its stdin is closed first (a well-behaved server
 * exits then), the group gets SIGTERM, then SIGKILL. Resolves once no process of the group is left (or,
 * should even SIGKILL not take, after the grace periods); our ends of the pipes are destroyed and the child
 * unreferenced, so nothing of it keeps the event loop alive.
 */
export async function stopProcessTree(child: ChildProcess, timing: StopTiming = DEFAULT_STOP_TIMING): Promise<void> {
  const pid = child.pid;
  try {
    child.stdin?.end();
  } catch {
    // already closed
  }
  if (pid !== undefined) {
    if (IS_WINDOWS) {
      await waitUntilGone(() => child.exitCode === null && child.signalCode === null, timing.eofGraceMs);
      await killWindowsTree(pid);
    } else {
      // The group outlives its leader while a descendant runs: wait for the whole group, not the leader.
      const running = stillRunning(pid);
      if (!(await waitUntilGone(() => groupExists(pid), timing.eofGraceMs))) {
        signalGroup(pid, 'SIGTERM');
        if (!(await waitUntilGone(running, timing.termGraceMs))) {
          signalGroup(pid, 'SIGKILL');
          await waitUntilGone(running, 500);
        }
      }
    }
    live.delete(pid);
  }
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    stream?.destroy();
  }
  child.unref();
}

/** `taskkill /T /F`: the process and every descendant of it (found through their parent pids). */
export function killWindowsTree(pid: number): Promise<void> {
  live.delete(pid);
  return new Promise((resolve) => {
    const killer = execFile('taskkill', ['/T', '/F', '/PID', String(pid)], { windowsHide: true, timeout: 5_000 }, () => resolve());
    killer.on('error', () => resolve());
  });
}
