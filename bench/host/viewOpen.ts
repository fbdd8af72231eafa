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

/** Opens the view (hidden until now) and times it; `arm`/`firstRow` are the runner's endpoints. */
export async function timeOpen(tree: Tree, arm: string, firstRow: string): Promise<OpenFigures> {
  const armed = (await post(arm)) as { rowsAlready: number };
  if (armed.rowsAlready) throw new Error(`${armed.rowsAlready} task rows were on screen before the view was opened`);
  const probe = instrumentProvider(tree);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  try {
    loop.enable();
    const t0 = now();
    await vscode.commands.executeCommand('workbench.view.extension.mcpTasks');
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
      getTreeItem: probe.calls.getTreeItem,
      getChildren: probe.calls.getChildren,
      providerMs: probe.calls.ms,
    };
  } finally {
    loop.disable();
    probe.undo();
  }
}

/** The view stays visible and nothing changes for `seconds`: the host's busy share and the core's requests. */
export async function measureIdle(tree: Tree, seconds: number, gc: () => void): Promise<IdleFigures> {
  const probe = instrumentProvider(tree);
  const g = globalThis as { fetch: typeof fetch };
  const realFetch = g.fetch;
  let requests = 0;
  g.fetch = (...args: Parameters<typeof fetch>) => (requests++, realFetch(...args));
  // Loopback servers are asked over node:http, not fetch (src/core/connection/loopbackFetch.ts).
  const onHttpRequest = () => void requests++;
  diagnostics.subscribe('http.client.request.start', onHttpRequest);
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
    g.fetch = realFetch;
    diagnostics.unsubscribe('http.client.request.start', onHttpRequest);
    gc();
    return {
      seconds,
      utilisation,
      cpuShare,
      loopMaxMs: loop.max / 1e6,
      requestsPerMinute: (requests * 60) / seconds,
      getTreeItem: probe.calls.getTreeItem,
      heapUsedMb: process.memoryUsage().heapUsed / (1024 * 1024),
    };
  } finally {
    g.fetch = realFetch;
    diagnostics.unsubscribe('http.client.request.start', onHttpRequest);
    loop.disable();
    probe.undo();
  }
}
