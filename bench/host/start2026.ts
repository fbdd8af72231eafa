/**
 * The 2026-07-28 growth windows' tasks (issue 13 item 7). That generation has no tasks/list: the extension
 * knows only the tasks it started, plus the ids it remembers from earlier windows (KnownTaskIds: at most 500
 * per server, so a reload can bring back 5,000 of ten servers' tasks, never 10,000). A session with 10,000
 * tasks on 2026 servers is therefore one where they were started from this editor: here the extension's own
 * command `mcpTasks.runToolAsTask` (with `{serverId, tool, args}`: the path of a keybinding or a script, the
 * prompts skipped) starts them, 8 calls in flight per server, all servers at once. As for a user, the
 * completion notifier then waits for every one of them, so the core keeps following them while the view is
 * hidden. Setup ends once the core has looked at every task after starting it (after the server acknowledged
 * its push listen, one tasks/get each): from then on the tasks are idle, as in the 2025 windows.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TaskServerApi, TrackedTask } from '../../src/core';
import { forEachLimit } from '../../src/core/util/mapLimit';
import { sleep } from '../../test/support/waiting';
import { countRequests } from './viewOpen';

/** Calls in flight per server while the tasks are started (as the Node-side idle.2026 bench). */
const CONCURRENCY = 8;
/** Tasks that never change within the bench: one step of an hour (the 2025 windows' make-tasks tasks). */
const QUIET = { steps: 1, stepMs: 3_600_000 };

export interface Start2026Figures {
  /** Starting every task (all servers at once). */
  startMs: number;
  /** From the last start until the core had looked at every task once more. */
  firstLookMs: number;
  /** Tasks not looked at again when the wait gave up. */
  unseen: number;
  /** HTTP requests the host sent meanwhile (tools/call, tasks/get, listens): shows the idle counter sees 2026 traffic. */
  requests: number;
}

const log = (...m: unknown[]) => console.log('[bench:host]', ...m);

export async function startTasks2026(servers: readonly TaskServerApi[], perServer: number): Promise<Start2026Figures> {
  const t0 = performance.now();
  const requests = countRequests();
  /** The fetchedAt of each task's creation reply: a later one is the core's own look at it. */
  const started: { server: TaskServerApi; taskId: string; at: number }[] = [];
  const ticker = setInterval(() => log(`2026: ${started.length} tasks started in ${((performance.now() - t0) / 1000).toFixed(0)} s`), 10_000);
  try {
    await Promise.all(
      servers.map((server) =>
        forEachLimit(Array.from({ length: perServer }), CONCURRENCY, async () => {
          for (let attempt = 1; ; attempt++) {
            const task = await vscode.commands.executeCommand<TrackedTask | undefined>('mcpTasks.runToolAsTask', { serverId: server.id, tool: 'slow-job', args: QUIET });
            if (task) {
              started.push({ server, taskId: task.taskId, at: task.fetchedAt });
              return;
            }
            // The command reported the failure to the user (an error message) and returned nothing.
            if (attempt >= 5) throw new Error(`${server.config.name}: slow-job did not start (5 attempts)`);
            await sleep(200 * attempt);
          }
        }),
      ),
    );
  } catch (err) {
    requests.stop();
    throw err;
  } finally {
    clearInterval(ticker);
  }
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  const unseen = () => started.filter(({ server, taskId, at }) => (server.store.get(taskId)?.fetchedAt ?? Infinity) <= at).length;
  const limitMs = Math.max(60_000, started.length * 20);
  while (unseen() > 0 && performance.now() - t1 < limitMs) await sleep(250);
  requests.stop();
  const figures = { startMs, firstLookMs: performance.now() - t1, unseen: unseen(), requests: requests.count() };
  log(`2026: ${started.length} tasks started in ${(startMs / 1000).toFixed(1)} s; every task looked at again after ${(figures.firstLookMs / 1000).toFixed(1)} s more${figures.unseen ? ` (${figures.unseen} not, gave up)` : ''}; ${figures.requests} requests sent meanwhile`);
  return figures;
}
