/**
 * The extension-host half of the benchmarks, loaded by VS Code as `extensionTestsPath` (the standard
 * `run()` shape) by bench/run-host.mjs. What to do comes from `bench-control.json` in the opened folder:
 *   - mode "activation": cold activation of MCP Tasks (three stdio servers configured in the folder) in a
 *     fresh extension host: the bundle's require time (the baseline) and activate() itself;
 *   - mode "view": ten HTTP fixture servers with 1,000 tasks each; the tree for 10,000 tasks, 1,000 status
 *     changes, the tree as VS Code itself renders it, and the document for a 10 MB result;
 *   - mode "open": one scale of the growth table (see openMode), 2025-11-25 or 2026-07-28 servers;
 *   - mode "baseline": the floor of the view-open figures: the first open of a trivial tree view with the same
 *     rows (bench/host/baseline-view), in a window where nothing else is opened.
 * Figures are written as JSON to the control file's `out` path (and summarised on the console).
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { TaskServerApi } from '../../src/core';
import type { McpTasksExtensionApi } from '../../src/extension';
import type { TaskTreeNode } from '../../src/views/treeNodes';
import { sleep, waitFor } from '../../test/support/waiting';
import { median } from '../lib/stats';
import { wholeTextOf } from '../../src/views/TaskResultDocumentProvider';
import { firstPage } from '../../src/views/taskPaging';
import { requestCostMode } from './requestCost';
import { startTasks2026 } from './start2026';
import { BASELINE_VIEW, instrumentProvider, measureIdle, settle, timeOpen } from './viewOpen';

const EXTENSION_ID = 'mcp-tasks-dev.mcp-tasks-vscode';
const MB = 1024 * 1024;

interface Control {
  mode: 'activation' | 'view' | 'open' | 'baseline' | 'requestCost';
  /** requestCost: the fixture server's URL; pages per round, rounds. */
  url?: string;
  pages?: number;
  rounds?: number;
  out: string;
  /** activation, open: which protocol generation the folder's servers speak (the label of the rows). */
  generation?: '2025' | '2026';
  /** view: tasks each server holds. */
  tasksPerServer?: number;
  repeats?: number;
  skipDocument?: boolean;
  /** view: the runner's endpoint that cancels tasks on a fixture server (POST {url, ids}). */
  changer?: string;
  /** view: the runner's endpoint returning the aria labels of the rows the workbench renders. */
  rows?: string;
  /** view, open: the runner's endpoints that watch for the first task row in the workbench (see viewOpen.ts). */
  arm?: string;
  firstRow?: string;
  /** open: how many servers the folder configures; baseline: how many groups the baseline view shows. */
  servers?: number;
  /** baseline (experiments): rows per group; default: the page our view shows of `tasksPerServer`. */
  rowsPerServer?: number;
  /**
   * open: the longest wait for the host to settle before the first open (default 30 s). The 2026 windows
   * wait longer: after starting thousands of tasks the extension is still saving their ids (one workspace
   * state write per started task) for a minute or more, and the view is timed once that is done.
   */
  settleMaxS?: number;
  /** open (diagnostic): the first open too with the core's polling resumed only after the rows. */
  deferPolling?: boolean;
  /** open (diagnostic): a folder to write CPU profiles of the extension host to (the open, then the idle window). */
  profileDir?: string;
}

type Figures = Record<string, unknown>;

const log = (...m: unknown[]) => console.log('[bench:host]', ...m);

/** The shared wait with this bench's defaults (a minute; a probe every 25 ms, the cadence its figures were taken at). */
function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  return waitFor(what, probe, { timeoutMs, everyMs: 25 });
}

let gcFn: (() => void) | undefined;
function gc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

// ---------------------------------------------------------------------------------------------------------
// Activation

interface Wrapped {
  requireMs: number;
  activateMs?: number;
  /** Processes started and sockets / fetches opened while activate() ran. */
  spawns: number;
  connects: number;
  /** Connection states of the configured servers when activate() returned. */
  statesAtReturn?: string[];
  /** dist/modern.js (the 2026-07-28 stack) was loaded when activate() returned. */
  modernLoadedAtReturn?: boolean;
}

/**
 * Loads the extension's main module ourselves (cold: nothing has loaded it in this host yet) and puts a
 * timing wrapper around its activate() in the module cache, where VS Code's loader picks it up.
 */
function preloadAndWrap(extensionPath: string, main: string): Wrapped {
  const file = require.resolve(path.join(extensionPath, main));
  if (require.cache[file]) throw new Error(`${file} is already loaded: the measurement would not be cold`);
  const t0 = performance.now();
  const real = require(file) as { activate: (ctx: vscode.ExtensionContext) => unknown; deactivate?: () => unknown };
  const wrapped: Wrapped = { requireMs: performance.now() - t0, spawns: 0, connects: 0 };
  const activate = real.activate;
  const deactivate = real.deactivate;
  require.cache[file]!.exports = {
    activate(ctx: vscode.ExtensionContext) {
      const undo = countIoDuring(wrapped);
      const t = performance.now();
      try {
        const api = activate(ctx) as Partial<McpTasksExtensionApi> | undefined;
        wrapped.activateMs = performance.now() - t;
        undo();
        if (api?.registry) wrapped.statesAtReturn = api.registry.servers().map((s) => s.state.kind);
        wrapped.modernLoadedAtReturn = modernLoaded(extensionPath);
        return api;
      } finally {
        undo();
      }
    },
    deactivate: () => deactivate?.(),
  };
  return wrapped;
}

/** Counts child processes and outgoing connections (net sockets, fetch) until the returned function is called. */
function countIoDuring(into: Wrapped): () => void {
  // The real module objects (an ES namespace import would be a read-only copy).
  const cp = require('node:child_process') as Record<string, unknown>;
  const net = require('node:net') as { Socket: { prototype: Record<string, unknown> } };
  const originals: [Record<string, unknown>, string, unknown][] = [];
  const wrap = (obj: Record<string, unknown>, key: string, bump: () => void) => {
    const orig = obj[key] as (...a: unknown[]) => unknown;
    if (typeof orig !== 'function') return;
    originals.push([obj, key, orig]);
    obj[key] = function (this: unknown, ...args: unknown[]) {
      bump();
      return orig.apply(this, args);
    };
  };
  for (const k of ['spawn', 'fork', 'execFile', 'exec']) wrap(cp, k, () => into.spawns++);
  wrap(net.Socket.prototype, 'connect', () => into.connects++);
  wrap(globalThis as unknown as Record<string, unknown>, 'fetch', () => into.connects++);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    for (const [obj, key, orig] of originals.reverse()) obj[key] = orig;
  };
}

type Marks = { name: string; startTime: number }[];

/** /proc start times are in clock ticks (100 per second here) since boot, read against /proc/uptime (10 ms). */
const PROC_RESOLUTION_MS = 10;

/** Start times (ms since the epoch) of this host's child processes running a fixture server; undefined off Linux. */
function serverProcessesStartedAt(): number[] | undefined {
  try {
    const bootMs = Date.now() - Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
    const out: number[] = [];
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(rest[1]) !== process.pid) continue;
        if (!/demo-server/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
        out.push(bootMs + Number(rest[19]) * PROC_RESOLUTION_MS);
      } catch {
        /* gone meanwhile */
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** VS Code's own performance marks in this extension host (ms resolution). */
function vscodeMarks(): Marks {
  return (globalThis as { MonacoPerformanceMarks?: { getMarks(): Marks } }).MonacoPerformanceMarks?.getMarks() ?? [];
}

function markSpan(marks: Marks, from: string, to: string): number | undefined {
  const at = (name: string) => marks.find((m) => m.name === `code/extHost/${name}/${EXTENSION_ID}`)?.startTime;
  const a = at(from);
  const b = at(to);
  return a !== undefined && b !== undefined ? b - a : undefined;
}

/** Is dist/modern.js (the 2026-07-28 stack) loaded in this host? */
function modernLoaded(extensionPath: string): boolean {
  return require.cache[path.join(extensionPath, 'dist', 'modern.js')] !== undefined;
}

async function activationMode(control: Control): Promise<Figures> {
  const ours = vscode.extensions.getExtension<McpTasksExtensionApi>(EXTENSION_ID);
  if (!ours) throw new Error(`${EXTENSION_ID} is not loaded`);
  const generation = control.generation ?? '2025';
  const main = require.resolve(path.join(ours.extensionPath, 'dist/extension.js'));
  if (ours.isActive || require.cache[main]) {
    // The extension activates on onStartupFinished too, which can come before this run(): VS Code then did
    // the (cold) activation itself (or is doing it). Its own marks time it (ms resolution): loading the code
    // (the require baseline) and the activate call. I/O inside activate() cannot be counted after the fact.
    const api = ours.isActive ? ours.exports : await ours.activate();
    const marks = vscodeMarks();
    await api.configLoaded();
    // Sockets cannot be seen after the fact, but the stdio servers' processes can: when did they start,
    // relative to the end of activate()? (Linux /proc, 10 ms resolution.)
    const didActivate = marks.find((m) => m.name === `code/extHost/didActivateExtension/${EXTENSION_ID}`)?.startTime;
    // Read once, now: a server process started inside activate() would still be running (the servers
    // connect later, when they are needed: usually none has started yet).
    const spawned = serverProcessesStartedAt();
    const states = api.registry.servers().map((s) => s.state.kind);
    log(`activated by VS Code; ${states.length} servers (${states.join(', ')}), ${spawned?.length ?? 'unknown'} server processes running`);
    const doneAt = didActivate === undefined ? undefined : performance.timeOrigin + didActivate;
    return {
      generation,
      activatedBy: 'vscode',
      ...(doneAt !== undefined && spawned
        ? {
            spawnsBeforeActivateReturned: spawned.filter((t) => t <= doneAt + PROC_RESOLUTION_MS).length,
            ...(spawned.length ? { firstSpawnAfterActivateMs: Math.min(...spawned) - doneAt } : {}),
            serverProcesses: spawned.length,
            statesAtRun: states,
            // Nothing unloads it: not loaded now means not loaded inside activate().
            modernLoadedAtRun: modernLoaded(ours.extensionPath),
          }
        : {}),
      requireMs: markSpan(marks, 'willLoadExtensionCode', 'didLoadExtensionCode'),
      activateMs: markSpan(marks, 'willActivateExtension', 'didActivateExtension'),
      vscodeMarkedMs: markSpan(marks, 'willActivateExtension', 'didActivateExtension'),
      extActivateMs: undefined,
      configuredServers: api.registry.servers().length,
    };
  }
  const wrapped = preloadAndWrap(ours.extensionPath, 'dist/extension.js');
  const t = performance.now();
  const api = await ours.activate();
  const extActivateMs = performance.now() - t;
  const vscodeMarkedMs = markSpan(vscodeMarks(), 'willActivateExtension', 'didActivateExtension');
  await api.configLoaded();
  return {
    ...wrapped,
    generation,
    activatedBy: 'bench',
    extActivateMs,
    vscodeMarkedMs,
    configuredServers: api.registry.servers().length,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The tree

type Tree = McpTasksExtensionApi['tree'];

/** What VS Code asks the provider for when it renders the whole tree (servers are expanded). */
function buildAll(tree: Tree): { items: number; ms: number } {
  const t0 = performance.now();
  let items = 0;
  const roots = tree.getChildren(undefined) as TaskTreeNode[];
  for (const r of roots) {
    tree.getTreeItem(r);
    items++;
    if (r.kind !== 'server') continue;
    for (const c of tree.getChildren(r) as TaskTreeNode[]) {
      tree.getTreeItem(c);
      items++;
    }
  }
  return { items, ms: performance.now() - t0 };
}

/** The least a provider must do for the same tree: one plain item per server and per task. */
function buildMinimal(servers: readonly TaskServerApi[]): { items: number; ms: number } {
  const t0 = performance.now();
  let items = 0;
  for (const s of servers) {
    const item = new vscode.TreeItem(s.config.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `server:${s.id}`;
    items++;
    for (const t of s.store.list()) {
      const child = new vscode.TreeItem(t.toolName ?? t.taskId);
      child.id = `task:${s.id}/${t.taskId}`;
      child.description = t.statusMessage ?? t.status;
      items++;
    }
  }
  return { items, ms: performance.now() - t0 };
}

interface Batch {
  ms: number;
  taskNodes: number;
  serverNodes: number;
  full: boolean;
  items: number;
  /** Fired task nodes whose task did not change in this round. */
  unchangedTaskNodes: number;
}

/** Asks the runner (outside this process) to cancel tasks on a server, so the changer costs this host nothing. */
type Cancel = (serverUrl: string, taskIds: string[]) => Promise<void>;

function changer(control: Control): Cancel {
  return async (url, ids) => {
    const res = await fetch(control.changer!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url, ids }) });
    if (!res.ok) throw new Error(`changer: ${res.status} ${await res.text()}`);
  };
}

/**
 * Times every store change event the core fires, all its listeners included (the tree's, the status bar's,
 * the result documents', the notifier's) by shadowing the store's private flush. Measurement only.
 */
function timeStoreEvents(servers: readonly TaskServerApi[]): { events: number[]; undo: () => void } {
  const events: number[] = [];
  const undos: (() => void)[] = [];
  for (const s of servers) {
    const store = s.store as unknown as Record<string, unknown>;
    const flush = store.flush as (() => void) | undefined;
    if (typeof flush !== 'function') continue;
    store.flush = function (this: unknown) {
      const t = performance.now();
      try {
        return flush.call(this);
      } finally {
        events.push(performance.now() - t);
      }
    };
    undos.push(() => delete store.flush);
  }
  return { events, undo: () => undos.forEach((u) => u()) };
}

interface Round {
  batches: Batch[];
  /** Changes the core had not seen when the round gave up waiting. */
  missed: number;
  /** First cancel sent → every cancellation held by the core. */
  ms: number;
  loopMaxMs: number;
  loopP99Ms: number;
  /** Event-loop busy time of this host over the round (ms). */
  busyMs: number;
  /** Time spent re-rendering (our emulation of VS Code's calls), included in busyMs. */
  renderMs: number;
  storeEvents: number[];
}

/** Waits until the tree has fired nothing for `quietMs` (at most `maxMs`): the view batches changes, and a
 * batch still pending from before a round must not be counted in it. */
async function treeQuiet(api: McpTasksExtensionApi, quietMs = 600, maxMs = 10_000): Promise<void> {
  let last = Date.now();
  const sub = api.tree.onDidChangeTreeData(() => (last = Date.now()));
  const end = Date.now() + maxMs;
  try {
    while (Date.now() - last < quietMs && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  } finally {
    sub.dispose();
  }
}

/**
 * 1,000 real status changes: the runner cancels 100 working tasks on each server through its own client; the
 * servers push notifications/tasks/status to the core. With `render`, every batch the tree fires is
 * re-rendered as VS Code does it (the fired items; a fired, expanded server also has its children fetched and
 * rendered again) and timed; without, the host is left alone and only observed.
 */
async function statusChangeRound(api: McpTasksExtensionApi, servers: TaskServerApi[], cancel: Cancel, perServer: number, render: boolean): Promise<Round> {
  await treeQuiet(api);
  const chosen = servers.map((s) => ({
    server: s,
    ids: s.store.list().filter((t) => t.status === 'working').slice(0, perServer).map((t) => t.taskId),
  }));
  const changed = new Set(chosen.flatMap(({ server, ids }) => ids.map((id) => `${server.id}\u0000${id}`)));
  // A fired task counts as unchanged only if what its row and its hover card show is as it was when the round
  // began (everything but when we last asked): under load a poll may time out, and the error it records, or a
  // newer lastUpdatedAt, is a real change of that element.
  const shownState = (serverId: string, taskId: string) => {
    const t = api.registry.get(serverId)?.store.get(taskId);
    if (!t) return 'gone';
    const { fetchedAt, ...shown } = t;
    void fetchedAt;
    return JSON.stringify(shown);
  };
  const before = new Map<string, string>(servers.flatMap((s) => s.store.list().map((t) => [`${s.id}\u0000${t.taskId}`, shownState(s.id, t.taskId)] as const)));
  const batches: Batch[] = [];
  const sub = api.tree.onDidChangeTreeData((e) => {
    const t0 = performance.now();
    const batch: Batch = { ms: 0, taskNodes: 0, serverNodes: 0, full: e === undefined || e === null, items: 0, unchangedTaskNodes: 0 };
    if (batch.full) {
      batch.items = render ? buildAll(api.tree).items : 0;
    } else {
      for (const el of (Array.isArray(e) ? e : [e]) as TaskTreeNode[]) {
        if (render) api.tree.getTreeItem(el);
        batch.items++;
        if (el.kind === 'server') {
          batch.serverNodes++;
          if (render) {
            for (const c of api.tree.getChildren(el) as TaskTreeNode[]) {
              api.tree.getTreeItem(c);
              batch.items++;
            }
          }
        } else if (el.kind === 'task') {
          batch.taskNodes++;
          const key = `${el.serverId}\u0000${el.taskId}`;
          if (!changed.has(key) && before.get(key) === shownState(el.serverId, el.taskId)) batch.unchangedTaskNodes++;
        }
      }
    }
    batch.ms = performance.now() - t0;
    batches.push(batch);
  });
  const store = timeStoreEvents(servers);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const elu0 = performance.eventLoopUtilization();
  loop.enable();
  const t0 = performance.now();
  try {
    await Promise.all(chosen.map(({ server, ids }) => cancel((server.config as { url: string }).url, ids)));
    const unseen = () => chosen.reduce((n, { server, ids }) => n + ids.filter((id) => server.store.get(id)?.status !== 'cancelled').length, 0);
    // On a loaded shared machine (load average 12-19 on 2 cores) some rounds never saw every change: with
    // the view hidden polling is paused and a push lost (e.g. while an SSE stream reconnects) stays lost.
    // The round is then recorded with what was missed instead of losing every figure of the run.
    let missed = 0;
    await waitUntil('all cancellations seen by the core', () => unseen() === 0, 45_000).catch(() => (missed = unseen()));
    if (missed) log(`round: ${missed} of ${changed.size} cancellations not seen by the core after 45 s`);
    const ms = performance.now() - t0;
    // Let the tree's 16 ms coalescing window and anything behind it settle.
    let seen = -1;
    while (seen !== batches.length) {
      seen = batches.length;
      await sleep(150);
    }
    loop.disable();
    const elu = performance.eventLoopUtilization(elu0);
    return {
      batches,
      missed,
      ms,
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      busyMs: elu.active,
      renderMs: batches.reduce((a, b) => a + b.ms, 0),
      storeEvents: store.events,
    };
  } finally {
    loop.disable();
    store.undo();
    sub.dispose();
  }
}

function summariseRound(r: Round) {
  const sorted = [...r.storeEvents].sort((a, b) => a - b);
  return {
    missed: r.missed,
    ms: r.ms,
    loopMaxMs: r.loopMaxMs,
    loopP99Ms: r.loopP99Ms,
    busyMs: r.busyMs,
    renderMs: r.renderMs,
    batches: r.batches.length,
    maxBatchMs: Math.max(...r.batches.map((b) => b.ms)),
    items: r.batches.reduce((a, b) => a + b.items, 0),
    taskNodes: r.batches.reduce((a, b) => a + b.taskNodes, 0),
    serverNodes: r.batches.reduce((a, b) => a + b.serverNodes, 0),
    fullRefreshes: r.batches.filter((b) => b.full).length,
    unchangedTaskNodes: r.batches.reduce((a, b) => a + b.unchangedTaskNodes, 0),
    storeEvents: r.storeEvents.length,
    storeEventTotalMs: r.storeEvents.reduce((a, b) => a + b, 0),
    storeEventMaxMs: sorted[sorted.length - 1] ?? NaN,
    storeEventP50Ms: sorted[Math.floor(sorted.length / 2)] ?? NaN,
  };
}

/**
 * The task rows the workbench renders (virtualised: the top of the tree) compared with the store: rows still
 * showing a status the core no longer holds are stale.
 */
async function shownRows(control: Control, servers: readonly TaskServerApi[]): Promise<{ rows: number; taskRows: number; stale: number; examples: string[]; sample: string[] }> {
  if (!control.rows) return { rows: 0, taskRows: 0, stale: 0, examples: [], sample: [] };
  const labels = (await (await fetch(control.rows, { method: 'POST' })).json()) as string[];
  const byShortId = new Map<string, string>();
  for (const s of servers) for (const t of s.store.list()) byShortId.set(t.taskId.slice(0, 8), t.status);
  let taskRows = 0;
  let stale = 0;
  const examples: string[] = [];
  for (const label of labels) {
    // The row's accessibility label: "<label>, <status>[, <message>]" (status with "_" read as a space). Rows
    // are named by tool or status message, not by id; a task the server made without a message is
    // "task <short id>", the only rows whose shown status can be checked against the store.
    const m = /^(?:task ([0-9a-f]{8})|[^,]+), (working|input required|completed|failed|cancelled|expired|unknown)(?:,|$)/.exec(label);
    if (!m) continue;
    taskRows++;
    const held = m[1] !== undefined ? byShortId.get(m[1]) : undefined;
    if (held !== undefined && held.replace('_', ' ') !== m[2]!) {
      stale++;
      if (examples.length < 3) examples.push(`shown "${m[2]}", held "${held}"`);
    }
  }
  return { rows: labels.length, taskRows, stale, examples, sample: labels.slice(0, 12) };
}

async function quietAfter(probe: () => number, quietMs: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = probe();
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(50);
    const now = probe();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// View mode

async function viewMode(control: Control): Promise<Figures> {
  const perServer = control.tasksPerServer ?? 1000;
  const repeats = control.repeats ?? 5;
  const cancel = changer(control);
  const ext = vscode.extensions.getExtension<McpTasksExtensionApi>(EXTENSION_ID)!;
  const api = await ext.activate();
  await api.configLoaded();
  // Servers connect once the view is seen (or when they run a task of ours); the first phases keep the view
  // hidden, so the bench connects them as opening the view would.
  (api.registry as { setConnectAll?: (all: boolean) => void }).setConnectAll?.(true);
  const servers = await waitUntil('10 servers configured', () => {
    const s = api.registry.servers();
    return s.length >= 10 && s;
  });
  log(`waiting for ${servers.length} servers to hold ${perServer} tasks each`);
  const tLoad = performance.now();
  await waitUntil(
    'every server connected with its tasks',
    () => servers.every((s) => s.state.kind === 'connected' && s.store.size >= perServer),
    90_000,
  );
  const loadMs = performance.now() - tLoad;
  const totalTasks = servers.reduce((a, s) => a + s.store.size, 0);
  const hasMore = servers.filter((s) => s.hasMore).length;
  log(`${totalTasks} tasks held (${loadMs.toFixed(0)} ms); ${hasMore} servers say there is more`);
  const figures: Figures = { servers: servers.length, totalTasks, hasMore, loadMs };

  // 1. Building the tree (the view is hidden: nothing else calls the provider).
  buildAll(api.tree);
  buildMinimal(servers);
  const build: number[] = [];
  const minimal: number[] = [];
  let items = 0;
  for (let r = 0; r < 7; r++) {
    const a = buildAll(api.tree);
    const b = buildMinimal(servers);
    build.push(a.ms);
    minimal.push(b.ms);
    items = a.items;
  }
  log(`tree build ${median(build).toFixed(1)} ms for ${items} items (minimal provider ${median(minimal).toFixed(1)} ms)`);

  // 2. 1,000 status changes, repeated; buildAll expanded every server, so the tree tracks what it shows.
  const perRound = Math.round(1000 / servers.length);
  const rendered: ReturnType<typeof summariseRound>[] = [];
  for (let r = 0; r < repeats; r++) {
    rendered.push(summariseRound(await statusChangeRound(api, servers, cancel, perRound, true)));
    const last = rendered[rendered.length - 1]!;
    log(`rendered round ${r + 1}: ${last.batches} batches, max ${last.maxBatchMs.toFixed(1)} ms, ${last.items} items re-rendered, ${last.serverNodes} server / ${last.taskNodes} task nodes fired`);
  }
  const fullRefresh: number[] = [];
  for (let r = 0; r < 5; r++) fullRefresh.push(buildAll(api.tree).ms);
  figures.tree = { items, buildMs: build, minimalMs: minimal, fullRefreshMs: fullRefresh };
  figures.rounds = rendered;
  // The same changes with nobody rendering: what the core and the views' listeners cost the host by themselves.
  const quiet: ReturnType<typeof summariseRound>[] = [];
  for (let r = 0; r < 2; r++) {
    quiet.push(summariseRound(await statusChangeRound(api, servers, cancel, perRound, false)));
    const last = quiet[quiet.length - 1]!;
    log(`observed round ${r + 1}: ${last.storeEvents} store events (${last.storeEventTotalMs.toFixed(0)} ms, max ${last.storeEventMaxMs.toFixed(1)} ms), host busy ${last.busyMs.toFixed(0)} ms of ${last.ms.toFixed(0)} ms, event loop max delay ${last.loopMaxMs.toFixed(0)} ms`);
  }
  figures.quietRounds = quiet;

  // 3. The result document for a 10 MB result (before the view opens: polling is paused while it is hidden).
  if (!control.skipDocument) figures.document = await documentBench(servers[0]!, repeats);

  // 4. The view as VS Code renders it: open it, time the rows on screen, count the provider calls VS Code makes.
  try {
    // Like the growth windows' first open: after the rounds above, once the host has settled.
    figures.settled = await settle();
    figures.opened = await timeOpen(api.tree, control.arm!, control.firstRow!);
    const o = figures.opened as Awaited<ReturnType<typeof timeOpen>>;
    log(`view opened: ${o.getTreeItem} getTreeItem / ${o.getChildren} getChildren calls, ${o.providerMs.toFixed(0)} ms inside the provider; rows on screen after ${o.firstRowsMs === undefined ? 'more than 20 s' : `${o.firstRowsMs.toFixed(0)} ms`}, event-loop max delay ${o.loopMaxMs.toFixed(0)} ms`);
  } catch (err) {
    figures.visibleError = err instanceof Error ? err.message : String(err);
  }
  const probe = instrumentProvider(api.tree);
  try {
    // With the view visible the core polls every task; watch the host for a few seconds.
    const idle = await measureIdle(api.tree, 3, gc);
    figures.visibleIdle = { loopMaxMs: idle.loopMaxMs, loopP99Ms: NaN, utilisation: idle.utilisation, requestsPerMinute: idle.requestsPerMinute, heapUsedMb: idle.heapUsedMb };
    log(`view visible, idle: event loop utilisation ${(idle.utilisation * 100).toFixed(0)}%, max delay ${idle.loopMaxMs.toFixed(0)} ms, ${idle.requestsPerMinute.toFixed(0)} requests/min`);
    // One more round with the view visible: how many items VS Code itself asks for again.
    const before = { ...probe.calls };
    const round = summariseRound(await statusChangeRound(api, servers, cancel, perRound, false));
    // Only worth waiting for when the view did render.
    const wait = (figures.opened as { firstRowsMs?: number } | undefined)?.firstRowsMs === undefined ? 2000 : 15_000;
    await waitUntil('VS Code re-fetched the fired servers', () => probe.calls.getChildren - before.getChildren >= Math.min(round.serverNodes, servers.length), wait).catch(() => undefined);
    await quietAfter(() => probe.calls.getTreeItem + probe.calls.getChildren, 1000, wait);
    const calls = { getTreeItem: probe.calls.getTreeItem - before.getTreeItem, getChildren: probe.calls.getChildren - before.getChildren, ms: probe.calls.ms - before.ms };
    figures.visibleRound = { ...round, vscodeCalls: calls, shown: await shownRows(control, servers) };
    log(`visible round: ${round.ms.toFixed(0)} ms for the core to see 1,000 changes; VS Code made ${calls.getTreeItem} getTreeItem / ${calls.getChildren} getChildren calls (${calls.ms.toFixed(0)} ms in the provider)`);
  } catch (err) {
    figures.visibleError = err instanceof Error ? err.message : String(err);
  } finally {
    probe.undo();
    await vscode.commands.executeCommand('workbench.view.explorer');
  }
  return figures;
}

/**
 * One row of the growth table: `servers` HTTP servers holding `tasksPerServer` tasks each (past the core's
 * sweep cap, fetched with loadMore as a user paging would); the view opened and timed, then left visible
 * with nothing changing.
 */
async function openMode(control: Control): Promise<Figures> {
  const perServer = control.tasksPerServer ?? 1000;
  const want = control.servers ?? 10;
  const ext = vscode.extensions.getExtension<McpTasksExtensionApi>(EXTENSION_ID)!;
  const api = await ext.activate();
  await api.configLoaded();
  (api.registry as { setConnectAll?: (all: boolean) => void }).setConnectAll?.(true);
  const servers = await waitUntil(`${want} servers configured`, () => {
    const s = api.registry.servers();
    return s.length >= want && s;
  });
  const tLoad = performance.now();
  await waitUntil('every server connected', () => servers.every((s) => s.state.kind === 'connected'), 90_000);
  const generation = control.generation ?? '2025';
  // 2026-07-28: no listing; the extension starts the tasks itself (see start2026.ts). 2025-11-25: the
  // servers made them; the core finds them by listing, the rest paged in with loadMore as a user would.
  const started = generation === '2026' ? await startTasks2026(servers, perServer) : undefined;
  await Promise.all(
    servers.map(async (s) => {
      await waitUntil('the first sweep', () => s.store.size >= Math.min(perServer, 1000) || s.hasMore, 90_000);
      while (s.store.size < perServer && s.hasMore) await s.loadMore();
    }),
  );
  await waitUntil('every task held', () => servers.every((s) => s.store.size >= perServer), 120_000);
  const totalTasks = servers.reduce((a, s) => a + s.store.size, 0);
  log(`${totalTasks} tasks (${generation}) held (${(performance.now() - tLoad).toFixed(0)} ms)`);
  await sleep(1000);
  gc();
  let heapHiddenMb = process.memoryUsage().heapUsed / MB;
  // Diagnostic: how much of the open is the polling that resumes when the view becomes visible? The view is
  // shown again twice (warm): as the extension does it, then with the resume held back until the rows are
  // on screen (the registry's setPollingPaused shadowed on the instance for that one open).
  const reopen = async (deferPolling: boolean, hideFirst = true) => {
    if (hideFirst) {
      await vscode.commands.executeCommand('workbench.view.explorer');
      await sleep(3000);
    }
    const registry = api.registry as unknown as Record<string, unknown>;
    const real = api.registry.setPollingPaused.bind(api.registry);
    let held = false;
    if (deferPolling) registry.setPollingPaused = (paused: boolean) => (paused ? real(true) : void (held = true));
    try {
      return await timeOpen(api.tree, control.arm!, control.firstRow!);
    } finally {
      delete registry.setPollingPaused;
      if (held) real(false);
    }
  };
  // Every measured first open waits for the window to settle (VS Code's own start-up work), like the baseline's.
  const settled = await settle(12, control.settleMaxS ?? 30);
  log(`settled after ${settled.waitedMs.toFixed(0)} ms (host ${(settled.busy * 100).toFixed(0)} % busy)`);
  if (generation === '2026') {
    // Taken again once the id writes after the starts are done (their serialized copies were still held).
    gc();
    heapHiddenMb = process.memoryUsage().heapUsed / MB;
    await sleep(1000);
  }
  const profiler = control.profileDir ? await startProfiler() : undefined;
  const opened = control.deferPolling ? await reopen(true, false) : await timeOpen(api.tree, control.arm!, control.firstRow!);
  await profiler?.save(path.join(control.profileDir!, `open-${totalTasks}.cpuprofile`));
  log(`${totalTasks} tasks (${generation})${control.deferPolling ? ' (polling resumed after the rows)' : ''}: rows on screen after ${opened.firstRowsMs?.toFixed(0) ?? '> 20000'} ms, event-loop max delay ${opened.loopMaxMs.toFixed(0)} ms, ${opened.getTreeItem} getTreeItem calls`);
  await sleep(2000);
  const idleProfiler = control.profileDir ? await startProfiler() : undefined;
  const idle = await measureIdle(api.tree, 10, gc);
  await idleProfiler?.save(path.join(control.profileDir!, `idle-${totalTasks}.cpuprofile`));
  log(`${totalTasks} tasks (${generation}), view visible and idle: host busy ${(idle.utilisation * 100).toFixed(0)} % (CPU ${(idle.cpuShare * 100).toFixed(0)} % of a core, ${idle.requestsPerMinute > 0 ? ((idle.cpuShare * 60_000) / idle.requestsPerMinute).toFixed(2) : '—'} ms per request), ${idle.requestsPerMinute.toFixed(0)} requests/min, heap ${idle.heapUsedMb.toFixed(0)} MB`);
  const reopened = await reopen(false);
  const reopenedDeferred = await reopen(true);
  log(`shown again: rows after ${reopened.firstRowsMs?.toFixed(0)} ms (loop max ${reopened.loopMaxMs.toFixed(0)} ms); with polling resumed after the rows: ${reopenedDeferred.firstRowsMs?.toFixed(0)} ms (loop max ${reopenedDeferred.loopMaxMs.toFixed(0)} ms)`);
  // The baseline view in this same window, with this window's rows (first open of that view, after ours).
  await vscode.commands.executeCommand('benchBaseline.shape', servers.length, Math.min(perServer, firstPage(servers.length)), perServer);
  await vscode.commands.executeCommand('workbench.view.explorer');
  await sleep(3000);
  const baselineHere = await timeOpen(undefined, control.arm!, control.firstRow!, BASELINE_VIEW);
  log(`baseline view in the same window (after ours): rows after ${baselineHere.firstRowsMs?.toFixed(0)} ms (loop max ${baselineHere.loopMaxMs.toFixed(0)} ms)`);
  await vscode.commands.executeCommand('workbench.view.explorer');
  return { generation, ...(started ? { started } : {}), servers: servers.length, totalTasks, heapHiddenMb, settled, opened, idle, reopened, reopenedDeferred, baselineHere, deferPolling: control.deferPolling === true };
}

/**
 * The floor of the view-open figures: in a fresh window where no other view is opened, the baseline view
 * (bench/host/baseline-view: a trivial provider, the same rows as ours) opened for the first time, after the
 * same settling as openMode's first open, then shown again.
 */
async function baselineMode(control: Control): Promise<Figures> {
  const groups = control.servers ?? 10;
  const perServer = control.tasksPerServer ?? 1000;
  const items = await vscode.commands.executeCommand<number>('benchBaseline.shape', groups, control.rowsPerServer ?? Math.min(perServer, firstPage(groups)), perServer);
  const settled = await settle();
  const opened = await timeOpen(undefined, control.arm!, control.firstRow!, BASELINE_VIEW);
  await vscode.commands.executeCommand('workbench.view.explorer');
  await sleep(3000);
  const reopened = await timeOpen(undefined, control.arm!, control.firstRow!, BASELINE_VIEW);
  await vscode.commands.executeCommand('workbench.view.explorer');
  log(`baseline view (${items} items): first open ${opened.firstRowsMs?.toFixed(0)} ms (loop max ${opened.loopMaxMs.toFixed(0)} ms), shown again ${reopened.firstRowsMs?.toFixed(0)} ms; settled after ${settled.waitedMs.toFixed(0)} ms`);
  return { items, settled, opened, reopened };
}

/** A CPU profile of this extension host (diagnostics: `BENCH_HOST_PROFILE=dir node bench/run-host.mjs`). */
async function startProfiler(): Promise<{ save: (file: string) => Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async save(file) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      log(`CPU profile written to ${file}`);
    },
  };
}

async function documentBench(server: TaskServerApi, repeats: number): Promise<Figures> {
  const sizeMb = 10;
  const task = await server.callToolAsTask('large-result', { sizeMb });
  await waitUntil('large-result completed', () => server.store.get(task.taskId)?.status === 'completed', 60_000);
  const outcome = await server.getTaskResult(task.taskId);
  if (outcome.kind !== 'result') throw new Error(`large-result failed: ${outcome.message}`);
  const resultChars = outcome.result.content?.reduce((a, c) => a + (c.text?.length ?? 0), 0) ?? 0;
  const uri = (n: number) =>
    vscode.Uri.from({
      scheme: 'mcp-task-result',
      path: `/${server.config.name}/large-result ${n}.md`,
      query: new URLSearchParams({ server: server.id, task: task.taskId, bench: String(n) }).toString(),
    });

  // Memory while one such document is open in an editor.
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await sleep(300);
  gc();
  const m0 = process.memoryUsage();
  const shownDoc = await vscode.workspace.openTextDocument(uri(0));
  await vscode.window.showTextDocument(shownDoc, { preview: false });
  await sleep(1000);
  gc();
  const m1 = process.memoryUsage();
  const docChars = shownDoc.getText().length;
  const text = shownDoc.getText();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');

  const ours: number[] = [];
  const base: number[] = [];
  for (let r = 1; r <= repeats; r++) {
    const timeOurs = async () => {
      const t = performance.now();
      const d = await vscode.workspace.openTextDocument(uri(r));
      ours.push(performance.now() - t);
      if (d.getText().length !== docChars) throw new Error('document differs between opens');
    };
    const timeBase = async () => {
      const t = performance.now();
      await vscode.workspace.openTextDocument({ content: text, language: 'markdown' });
      base.push(performance.now() - t);
    };
    if (r % 2) {
      await timeOurs();
      await timeBase();
    } else {
      await timeBase();
      await timeOurs();
    }
  }
  // The whole text, as "Open Whole Task Result as Text" opens it (plain text: no Markdown tokenizer or preview).
  const whole: number[] = [];
  for (let r = 1; r <= 3; r++) {
    const t = performance.now();
    await vscode.workspace.openTextDocument(wholeTextOf(uri(r)));
    whole.push(performance.now() - t);
  }
  log(`10 MB result document: ${median(ours).toFixed(0)} ms (untitled document with the same text ${median(base).toFixed(0)} ms; the whole text as plain text ${median(whole).toFixed(0)} ms)`);
  return {
    resultChars,
    docChars,
    openMs: ours,
    untitledMs: base,
    wholeTextMs: whole,
    heapDeltaMb: (m1.heapUsed - m0.heapUsed) / MB,
    externalDeltaMb: (m1.external - m0.external) / MB,
    rssDeltaMb: (m1.rss - m0.rss) / MB,
  };
}

// ---------------------------------------------------------------------------------------------------------

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the bench host needs a folder');
  const control = JSON.parse(fs.readFileSync(path.join(folder, 'bench-control.json'), 'utf8')) as Control;
  let figures: Figures;
  try {
    const modes = { activation: activationMode, open: openMode, baseline: baselineMode, view: viewMode, requestCost: requestCostMode };
    figures = await modes[control.mode](control);
  } catch (err) {
    figures = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    log('failed:', figures.error);
  }
  fs.writeFileSync(control.out, JSON.stringify(figures, null, 2));
  log(`${control.mode}: figures written`);
}
