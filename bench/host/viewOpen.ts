/**
 * Opening the view, timed to the rows on screen, and what a visible view costs while nothing changes
 * (issue 13 items 1 and 6). Used by the "view" mode (10,000 tasks) and the "open" mode (the growth table:
 * one window per scale).
 *
 * Rows on screen: the runner installs a MutationObserver in the workbench page before the view command
 * runs and stamps (browser clock, same machine: epoch ms) the first task row that enters the DOM; VS Code
 * paints it in the next frame. The extension host's event-loop delay is watched from the command until
 * 300 ms after the rows appeared.
 */
import * as diagnostics from 'node:diagnostics_channel';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { McpTasksExtensionApi } from '../../src/extension';
import type { TaskTreeNode } from '../../src/views/treeNodes';
import { sleep } from '../../test/support/waiting';

type Tree = McpTasksExtensionApi['tree'];

export interface OpenFigures {
  /** Command → first task row in the workbench DOM; undefined: not within 20 s. */
  firstRowsMs?: number;
  loopMaxMs: number;
  loopP99Ms: number;
  getTreeItem: number;
  getChildren: number;
  /** Time inside the provider during the open. */
  providerMs: number;
}

export interface IdleFigures {
  seconds: number;
  /** Event-loop utilisation of the extension host (0..1). */
  utilisation: number;
  /**
   * CPU time of the extension host process over the window (0..1 of one core). Unlike the utilisation it
   * does not grow when a loaded machine gives the host less of a core; all threads count.
   */
  cpuShare: number;
  loopMaxMs: number;
  /** Requests the core sent (HTTP: fetch calls, and node:http requests for loopback servers) per minute. */
  requestsPerMinute: number;
  /** Provider calls VS Code made while nothing was meant to change. */
  getTreeItem: number;
  heapUsedMb: number;
}

const now = () => performance.timeOrigin + performance.now();

/** Counts (and times) the provider calls VS Code itself makes, by shadowing the provider's methods. */
export function instrumentProvider(tree: Tree): { calls: { getTreeItem: number; getChildren: number; ms: number; last: number }; undo: () => void } {
  const calls = { getTreeItem: 0, getChildren: 0, ms: 0, last: 0 };
  const own = tree as unknown as Record<string, unknown>;
  const getTreeItem = tree.getTreeItem.bind(tree);
  const getChildren = tree.getChildren.bind(tree);
  const timed =
    <A, R>(fn: (a: A) => R, key: 'getTreeItem' | 'getChildren') =>
    (a: A): R => {
      const t = performance.now();
      try {
        return fn(a);
      } finally {
        calls[key]++;
        calls.last = performance.now();
        calls.ms += calls.last - t;
      }
    };
  // Probes nest (the idle probe inside the view bench's): undoing one puts back what was there before.
  const before = { getTreeItem: Object.getOwnPropertyDescriptor(own, 'getTreeItem'), getChildren: Object.getOwnPropertyDescriptor(own, 'getChildren') };
  own.getTreeItem = timed((n: TaskTreeNode) => getTreeItem(n), 'getTreeItem');
  own.getChildren = timed((n?: TaskTreeNode) => getChildren(n), 'getChildren');
  const restore = (key: 'getTreeItem' | 'getChildren') => (before[key] ? Object.defineProperty(own, key, before[key]) : delete own[key]);
  return { calls, undo: () => (restore('getTreeItem'), restore('getChildren')) };
}

async function post(url: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST' });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The command that opens MCP Tasks' view, and the one that opens the baseline (bench/host/baseline-view). */
export const OUR_VIEW = 'workbench.view.extension.mcpTasks';
export const BASELINE_VIEW = 'workbench.view.extension.benchBaseline';

/**
 * Opens a view (hidden until now) by its command and times it; `arm`/`firstRow` are the runner's endpoints.
 * With `tree`, VS Code's calls into our provider are counted and timed (the baseline is another extension's).
 */
export async function timeOpen(tree: Tree | undefined, arm: string, firstRow: string, command = OUR_VIEW): Promise<OpenFigures> {
  const armed = (await post(arm)) as { rowsAlready: number };
  if (armed.rowsAlready) throw new Error(`${armed.rowsAlready} task rows were on screen before the view was opened`);
  const probe = tree ? instrumentProvider(tree) : undefined;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  try {
    loop.enable();
    const t0 = now();
    await vscode.commands.executeCommand(command);
    let at: number | undefined;
    while (at === undefined && now() - t0 < 20_000) {
      at = ((await post(firstRow)) as { at?: number }).at;
      if (at === undefined) await sleep(20);
    }
    await sleep(300);
    loop.disable();
    return {
      ...(at !== undefined ? { firstRowsMs: at - t0 } : {}),
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      getTreeItem: probe?.calls.getTreeItem ?? 0,
      getChildren: probe?.calls.getChildren ?? 0,
      providerMs: probe?.calls.ms ?? 0,
    };
  } finally {
    loop.disable();
    probe?.undo();
  }
}

/**
 * Waits until the window has settled: VS Code's own start-up work (built-in extensions activating, git
 * finding repositories, port and file scans) runs in this extension host for seconds after a window opens,
 * and a view opened meanwhile is timed against it. Every measured first open waits the same way: at least
 * `minUptimeS` since the host started and then the host's event loop mostly idle (< 10 % busy) for 1 s.
 * Returns how long it waited and the last second's busy share.
 */
export async function settle(minUptimeS = 12, maxWaitS = 30): Promise<{ waitedMs: number; busy: number }> {
  const t0 = performance.now();
  if (process.uptime() < minUptimeS) await sleep((minUptimeS - process.uptime()) * 1000);
  let busy = 1;
  while (performance.now() - t0 < maxWaitS * 1000) {
    const elu = performance.eventLoopUtilization();
    await sleep(1000);
    busy = performance.eventLoopUtilization(elu).utilization;
    if (busy < 0.1) break;
  }
  return { waitedMs: performance.now() - t0, busy };
}

/**
 * Counts the HTTP requests this host sends from now until `stop()`: fetch calls, and node:http requests
 * (loopback servers are asked over node:http, not fetch: src/core/connection/loopbackFetch.ts).
 */
export function countRequests(): { readonly count: () => number; stop: () => void } {
  const g = globalThis as { fetch: typeof fetch };
  const realFetch = g.fetch;
  let requests = 0;
  g.fetch = (...args: Parameters<typeof fetch>) => (requests++, realFetch(...args));
  const onHttpRequest = () => void requests++;
  diagnostics.subscribe('http.client.request.start', onHttpRequest);
  let stopped = false;
  return {
    count: () => requests,
    stop: () => {
      if (stopped) return;
      stopped = true;
      g.fetch = realFetch;
      diagnostics.unsubscribe('http.client.request.start', onHttpRequest);
    },
  };
}

/** The view stays visible and nothing changes for `seconds`: the host's busy share and the core's requests. */
export async function measureIdle(tree: Tree, seconds: number, gc: () => void): Promise<IdleFigures> {
  const probe = instrumentProvider(tree);
  const requests = countRequests();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    loop.enable();
    await sleep(seconds * 1000);
    loop.disable();
    const utilisation = performance.eventLoopUtilization(elu0).utilization;
    const cpu = process.cpuUsage(cpu0);
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
    requests.stop();
    gc();
    return {
      seconds,
      utilisation,
      cpuShare,
      loopMaxMs: loop.max / 1e6,
      requestsPerMinute: (requests.count() * 60) / seconds,
      getTreeItem: probe.calls.getTreeItem,
      heapUsedMb: process.memoryUsage().heapUsed / (1024 * 1024),
    };
  } finally {
    requests.stop();
    loop.disable();
    probe.undo();
  }
}
