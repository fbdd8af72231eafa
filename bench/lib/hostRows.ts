/**
 * Turns the extension host's raw figures (bench/host/index.ts, collected by bench/run-host.mjs) into table
 * rows. Medians over the repeats each figure was measured in.
 */
import type { Start2026Figures } from '../host/start2026';
import type { OpenFigures } from '../host/viewOpen';
import { row, spread, type BenchRow } from './rows';
import { median } from './stats';

interface ActivationRun {
  /** Which generation the folder's three stdio servers speak (absent: 2025, older figures). */
  generation?: '2025' | '2026';
  /** "bench": the bench pre-loaded the bundle and wrapped activate(); "vscode": VS Code activated it first
   * (onStartupFinished) and the figures are VS Code's own marks (ms resolution), no I/O counts. */
  activatedBy?: 'bench' | 'vscode';
  requireMs?: number;
  activateMs?: number;
  spawns?: number;
  connects?: number;
  statesAtReturn?: string[];
  modernLoadedAtReturn?: boolean;
  /** VS Code activated first: fixture server processes started before activate() returned (by /proc start times, 10 ms resolution). */
  spawnsBeforeActivateReturned?: number;
  firstSpawnAfterActivateMs?: number;
  /** VS Code activated first: dist/modern.js was loaded when the bench's run() began (nothing unloads it). */
  modernLoadedAtRun?: boolean;
  serverProcesses?: number;
  extActivateMs?: number;
  vscodeMarkedMs?: number;
  configuredServers: number;
}

interface RoundFigures {
  /** Changes the core had not seen when the round stopped waiting (45 s). */
  missed?: number;
  ms: number;
  loopMaxMs: number;
  loopP99Ms: number;
  busyMs: number;
  renderMs: number;
  batches: number;
  maxBatchMs: number;
  items: number;
  taskNodes: number;
  serverNodes: number;
  fullRefreshes: number;
  unchangedTaskNodes: number;
  storeEvents: number;
  storeEventTotalMs: number;
  storeEventMaxMs: number;
  storeEventP50Ms: number;
}

interface ViewFigures {
  servers: number;
  totalTasks: number;
  hasMore: number;
  loadMs: number;
  tree?: { items: number; buildMs: number[]; minimalMs: number[]; fullRefreshMs: number[] };
  rounds?: RoundFigures[];
  quietRounds?: RoundFigures[];
  document?: { resultChars: number; docChars: number; openMs: number[]; untitledMs: number[]; wholeTextMs?: number[]; heapDeltaMb: number; externalDeltaMb: number; rssDeltaMb: number };
  opened?: OpenFigures;
  visibleIdle?: { loopMaxMs: number; utilisation: number; requestsPerMinute?: number; heapUsedMb?: number };
  visibleRound?: RoundFigures & { vscodeCalls: { getTreeItem: number; getChildren: number; ms: number }; shown: { rows: number; taskRows: number; stale: number; examples: string[] } };
  visibleError?: string;
}


/** One scale of the growth table (bench/host/index.ts, mode "open"). */
interface GrowthRun {
  /** The servers' protocol generation (absent: 2025, older figures). */
  generation?: '2025' | '2026';
  /** 2026: the extension started the tasks in the window (bench/host/start2026.ts). */
  started?: Start2026Figures;
  servers: number;
  totalTasks: number;
  pageSize: number;
  heapHiddenMb: number;
  opened: OpenFigures;
  idle: { seconds: number; utilisation: number; loopMaxMs: number; requestsPerMinute: number; getTreeItem: number; heapUsedMb: number };
  /** The view shown again (warm), as the extension does it, and with polling resumed only after the rows. */
  reopened?: OpenFigures;
  reopenedDeferred?: OpenFigures;
  /** Diagnostic run: the first open too had the core's polling resumed only after the rows. */
  deferPolling?: boolean;
  /** How long the window was left to settle before the first open, and its host's busy share then. */
  settled?: { waitedMs: number; busy: number };
  /** The baseline view opened in this window after ours (its first open; not the window's first view). */
  baselineHere?: OpenFigures;
}

/** A window where only the baseline view (bench/host/baseline-view) is opened: its first open, then again. */
interface BaselineRun {
  items: number;
  settled: { waitedMs: number; busy: number };
  opened: OpenFigures;
  reopened: OpenFigures;
}

/** The floor of every view-open row: VS Code's first open of a trivial tree view with the same rows. */
interface Floor {
  rowsMs: number;
  loopMaxMs: number;
  note: string;
}

export interface HostFigures {
  activation: ActivationRun[];
  view?: ViewFigures;
  growth?: GrowthRun[];
  baseline?: BaselineRun[];
  baselineWarmUp?: BaselineRun & { firstWindow: boolean };
  errors: string[];
}

function floorOf(f: HostFigures): Floor | undefined {
  const runs = (f.baseline ?? []).filter((b) => b.opened.firstRowsMs !== undefined);
  if (!runs.length) return undefined;
  const rows = runs.map((b) => b.opened.firstRowsMs!);
  const warm = f.baselineWarmUp?.opened.firstRowsMs;
  return {
    rowsMs: median(rows),
    loopMaxMs: median(runs.map((b) => b.opened.loopMaxMs)),
    note:
      `Baseline: a trivial tree view (bench/host/baseline-view: ${runs[0]!.items} items made from nothing, the same fields as ours) opened for the first time in a fresh window, ` +
      `settled the same way, one window each: ${spread(rows, 0)}; shown again ${median(runs.map((b) => b.reopened.firstRowsMs ?? NaN)).toFixed(0)} ms` +
      (warm !== undefined ? `; the warm-up window before them (not counted${f.baselineWarmUp!.firstWindow ? ', the first window of the browser' : ''}) ${warm.toFixed(0)} ms` : '') +
      '.',
  };
}

const MB = 1024 * 1024;

export function hostRows(f: HostFigures): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const generation of ['2025', '2026'] as const) rows.push(...activationRows(generation, f.activation.filter((r) => (r.generation ?? '2025') === generation)));

  const v = f.view;
  const floor = floorOf(f);
  if (!v || v.totalTasks === undefined) return [...rows, ...growthRows(f.growth ?? [], floor)];
  const scale = `${v.totalTasks.toLocaleString('en-US')} tasks / ${v.servers} servers`;
  if (v.tree) {
    rows.push(
      row({
        id: '4.build',
        item: 4,
        figure: `Tree children + items for ${scale} (full build)`,
        ours: median(v.tree.buildMs),
        baseline: median(v.tree.minimalMs),
        baselineLabel: 'minimal provider (plain items from store.list())',
        unit: 'ms',
        target: '< 50 ms',
        check: (o) => o < 50,
        note: `${v.tree.items} items; ${spread(v.tree.buildMs, 1)}.`,
      }),
    );
  }
  if (v.rounds?.length && v.tree) {
    const r = v.rounds;
    const full = median(v.tree.fullRefreshMs);
    rows.push(
      row({
        id: '4.batch',
        item: 4,
        figure: '1,000 status changes: worst refresh batch',
        ours: median(r.map((x) => x.maxBatchMs)),
        baseline: full,
        baselineLabel: 'one full refresh (fire undefined)',
        unit: 'ms',
        target: '< 50 ms per batch',
        check: (o) => o < 50,
        note:
          `Per round: ${median(r.map((x) => x.batches))} batches, ${spread(r.map((x) => x.maxBatchMs), 0)} (worst batch). ` +
          `A batch = the provider calls VS Code makes for the fired elements (a fired expanded server: its children again).`,
      }),
    );
    const items = r.map((x) => x.items);
    // 1,000 cancelled tasks, plus the pages that changed: the cancelled tasks were the newest live ones, on
    // each server's page, so they move behind the live tasks and each such server is fired (VS Code then asks
    // for its page again: one server row + its page of ≤ 100 rows + the Show more row). The tree settles pages
    // at most once a second (PAGE_SETTLE_MS), so a server is fired at most once per second of the round.
    // Tasks whose rows really changed otherwise (an error recorded under load) are fired rightly and checked
    // by `unchangedTaskNodes` instead.
    const otherChanges = median(r.map((x) => Math.max(0, x.taskNodes - 1000 - x.unchangedTaskNodes)));
    const perPage = v.servers ? Math.round(v.tree.items / v.servers) : 0;
    const settles = median(r.map((x) => x.serverNodes));
    const settlesAllowed = median(r.map((x) => v.servers * (Math.ceil(x.ms / 1000) + 1)));
    const allowed = 1000 + otherChanges + settles * perPage;
    rows.push(
      row({
        id: '4.fired',
        item: 4,
        figure: '1,000 status changes: items re-rendered (only changed elements and changed pages fired?)',
        ours: median(items),
        baseline: v.tree.items,
        baselineLabel: 'one full refresh (10 pages)',
        unit: 'items',
        target: `≤ ${allowed} (1,000 tasks + ${settles} page re-renders of ${perPage} items${otherChanges ? ` + ${otherChanges} rows that changed otherwise` : ''}), ≤ 1 page re-render per server per second (${settlesAllowed})`,
        check: (o) => o <= allowed && settles <= settlesAllowed && r.every((x) => x.fullRefreshes === 0 && x.unchangedTaskNodes === 0),
        note:
          `Fired per round: ${median(r.map((x) => x.taskNodes))} task nodes, ${settles} server nodes (pages that changed), ` +
          `${median(r.map((x) => x.fullRefreshes))} full refreshes, ${median(r.map((x) => x.unchangedTaskNodes))} unchanged task nodes ` +
          `(per round: ${r.map((x) => `${x.fullRefreshes}/${x.unchangedTaskNodes}`).join(', ')} full/unchanged); the round took ${(median(r.map((x) => x.ms)) / 1000).toFixed(1)} s. ` +
          `Without paging a full refresh was 10,010 items.` +
          (r.some((x) => x.missed) ? ` Changes the core never saw (gave up after 45 s): ${r.map((x) => x.missed ?? 0).join(', ')} per round.` : ''),
      }),
    );
  }
  if (v.quietRounds?.length) {
    const q = v.quietRounds;
    rows.push(
      row({
        id: '4.stutter',
        item: 4,
        figure: '1,000 status changes: longest extension-host stall (view hidden)',
        ours: median(q.map((x) => x.loopMaxMs)),
        baseline: median(q.map((x) => x.storeEventP50Ms)),
        baselineLabel: 'median store change event (all listeners)',
        unit: 'ms',
        target: '< 50 ms (one refresh batch)',
        check: (o) => o < 50,
        note:
          `Event-loop max delay while the core takes in 1,000 pushed changes, nothing rendering. ` +
          `${median(q.map((x) => x.storeEvents))} store events took ${median(q.map((x) => x.storeEventTotalMs)).toFixed(0)} ms in all (worst ${median(q.map((x) => x.storeEventMaxMs)).toFixed(0)} ms); ` +
          `host busy ${median(q.map((x) => x.busyMs)).toFixed(0)} of ${median(q.map((x) => x.ms)).toFixed(0)} ms.`,
      }),
    );
  }
  if (v.opened) rows.push(...openRows('4.opened', scale, v.opened, 200, floor));
  if (v.visibleIdle) {
    const vr = v.visibleRound;
    rows.push(
      row({
        id: '4.visible',
        item: 4,
        figure: `View visible, no changes: extension-host busy share (${scale} polled)`,
        ours: v.visibleIdle.utilisation * 100,
        unit: '%',
        target: 'info (single run)',
        note:
          `Event-loop max delay ${v.visibleIdle.loopMaxMs.toFixed(0)} ms over 3 s` +
          (v.visibleIdle.requestsPerMinute !== undefined ? `; the core sent ${Math.round(v.visibleIdle.requestsPerMinute).toLocaleString('en-US')} requests/min.` : '.') +
          (vr
            ? ` Then 1,000 changes with the view visible: the core had them all after ${(vr.ms / 1000).toFixed(1)} s (hidden: see 4.stutter); VS Code asked our provider again for ${vr.vscodeCalls.getTreeItem} items and ` +
              `${vr.vscodeCalls.getChildren} child lists (${vr.vscodeCalls.ms.toFixed(0)} ms inside it), event-loop max delay ${vr.loopMaxMs.toFixed(0)} ms; ` +
              `${vr.shown.stale} of ${vr.shown.taskRows} task rows on screen then showed a stale status${vr.shown.examples.length ? ` (${vr.shown.examples.join('; ')})` : ''}.`
            : '') +
          (v.visibleError ? ` Error: ${v.visibleError}.` : ''),
      }),
    );
  }
  if (v.document) {
    const d = v.document;
    rows.push(
      row({
        id: '6.open',
        item: 6,
        figure: 'Opening the result document of a 10 MB result in the editor',
        ours: median(d.openMs),
        baseline: median(d.untitledMs),
        baselineLabel: 'untitled document with the same text',
        unit: 'ms',
        target: '< 500 ms',
        check: (o) => o < 500,
        note:
          `workspace.openTextDocument on the mcp-task-result URI (provider + the editor taking in ${(d.docChars / MB).toFixed(1)} MB); ${spread(d.openMs, 0)}.` +
          (d.wholeTextMs?.length ? ` The whole text as plain text (Open Whole Task Result as Text) opens in ${median(d.wholeTextMs).toFixed(0)} ms.` : ''),
      }),
      row({
        id: '6.memory',
        item: 6,
        figure: 'Extension-host heap while that document is open',
        ours: d.heapDeltaMb,
        baseline: d.docChars / MB,
        baselineLabel: 'document text size',
        unit: 'MB',
        target: 'info (no target set)',
        note: `heapUsed after GC, before opening vs with it open in an editor (single run); rss +${d.rssDeltaMb.toFixed(0)} MB. The result itself (${(d.resultChars / MB).toFixed(0)} MB) is cached by the core before either reading.`,
      }),
    );
  }
  rows.push(...growthRows(f.growth ?? [], floor));
  return rows;
}

/**
 * Opening the view: rows on screen (target `targetMs`) and the host's event-loop delay meanwhile (< 50 ms),
 * each beside the same figure for the baseline view (`floor`) when the run measured it.
 */
function openRows(id: string, scale: string, o: OpenFigures, targetMs: number, floor?: Floor, extra = '', polling = 'the core starts polling when the view becomes visible'): BenchRow[] {
  const rendered = o.firstRowsMs !== undefined;
  const calls = `VS Code called getTreeItem ${o.getTreeItem}×, getChildren ${o.getChildren}× (${o.providerMs.toFixed(0)} ms inside our provider)`;
  return [
    row({
      id,
      item: 4,
      figure: `Opening the view on ${scale}: task rows on screen after${rendered ? '' : ' (not within 20 s)'}`,
      ours: rendered ? o.firstRowsMs! : 20_000,
      ...(floor ? { baseline: floor.rowsMs, baselineLabel: "a trivial tree view's first open, same rows (median)" } : { baseline: o.providerMs, baselineLabel: 'time inside our provider' }),
      unit: 'ms',
      target: `< ${targetMs} ms`,
      check: (x) => rendered && x < targetMs,
      note:
        `Default settings (${polling}). From the view command in the extension host to the first task row in the workbench DOM ` +
        `(a MutationObserver in the page; same machine clock). Each server's children are its first page and a Show more row. ${calls}.${extra}` +
        (floor ? ` ${floor.note}` : ''),
    }),
    row({
      id: `${id}.loop`,
      item: 4,
      figure: `Opening the view on ${scale}: extension-host event-loop delay`,
      ours: o.loopMaxMs,
      ...(floor ? { baseline: floor.loopMaxMs, baselineLabel: "the trivial tree view's first open (median)" } : { baseline: o.loopP99Ms, baselineLabel: 'p99 of the same' }),
      unit: 'ms',
      target: '< 50 ms',
      check: (x) => x < 50,
      note: `monitorEventLoopDelay (1 ms resolution) from the view command until 300 ms after the rows appeared; max (p99 ${o.loopP99Ms.toFixed(0)} ms).`,
    }),
  ];
}

/** The growth table (issue 13 item 6), each generation apart (item 7): one row per scale and figure. */
function growthRows(runs: readonly GrowthRun[], floor?: Floor): BenchRow[] {
  return (['2025', '2026'] as const).flatMap((generation) => growthRowsOf(generation, runs.filter((g) => (g.generation ?? '2025') === generation), floor));
}

/** What starting the 2026 tasks took (setup, not measured figures), for the notes. */
function startedNote(g: GrowthRun): string {
  const s = g.started;
  if (!s) return '';
  return (
    ` The extension started the ${g.totalTasks.toLocaleString('en-US')} tasks in this window (2026-07-28 has no tasks/list; its command mcpTasks.runToolAsTask with {serverId, tool, args}, 8 in flight per server) in ${(s.startMs / 1000).toFixed(1)} s, ` +
    `and had looked at every one again ${(s.firstLookMs / 1000).toFixed(1)} s later${s.unseen ? ` (${s.unseen} not, gave up)` : ''}; ${s.requests.toLocaleString('en-US')} HTTP requests meanwhile. ` +
    `The view is timed once the host has settled after the starts (the wait is given above).`
  );
}

function growthRowsOf(generation: '2025' | '2026', runs: readonly GrowthRun[], floor?: Floor): BenchRow[] {
  const rows: BenchRow[] = [];
  // Several windows per scale (run-host.mjs --open-runs N): the window with the median rows (the slower of the
  // two middle ones) stands for the scale (its other figures with it); the open figures are medians, their
  // ranges in the note.
  const byScale = new Map<string, GrowthRun[]>();
  for (const g of runs) {
    const key = `${g.totalTasks}${g.deferPolling ? 'd' : ''}`;
    byScale.set(key, [...(byScale.get(key) ?? []), g]);
  }
  const medianRun = (group: GrowthRun[]): GrowthRun => {
    const byRows = [...group].sort((a, b) => (a.opened.firstRowsMs ?? 20_000) - (b.opened.firstRowsMs ?? 20_000));
    const mid = byRows[Math.floor(byRows.length / 2)]!;
    if (group.length === 1) return mid;
    // An even count: the median is between two windows (not the faster one's figure).
    const rowsMs = median(group.map((g) => g.opened.firstRowsMs ?? 20_000));
    return { ...mid, opened: { ...mid.opened, firstRowsMs: rowsMs, loopMaxMs: median(group.map((g) => g.opened.loopMaxMs)) } };
  };
  const ranges = new Map<GrowthRun, string>();
  const sorted = [...byScale.values()]
    .map((group) => {
      const m = medianRun(group);
      if (group.length > 1) {
        const rowsMs = group.map((g) => g.opened.firstRowsMs ?? 20_000);
        const loops = group.map((g) => g.opened.loopMaxMs);
        ranges.set(m, ` Median of ${group.length} windows: rows ${spread(rowsMs, 0)}, event-loop max ${spread(loops, 0)} (the other figures are the median window's).`);
      }
      return m;
    })
    .sort((a, b) => a.totalTasks - b.totalTasks);
  const first = sorted[0];
  for (const g of sorted) {
    const scale = `${g.totalTasks.toLocaleString('en-US')} tasks / ${g.servers} servers${generation === '2026' ? ' (2026-07-28, started from the editor)' : ''}${g.deferPolling ? ', polling resumed after the rows (diagnostic)' : ''}`;
    const k = (generation === '2026' ? '2026.' : '') + (g.totalTasks >= 1000 ? `${Math.round(g.totalTasks / 1000)}k` : String(g.totalTasks)) + (g.deferPolling ? '.deferred' : '');
    const growth = first && first !== g ? ` ×${(g.totalTasks / first.totalTasks).toFixed(0)} the tasks of the smallest run` : '';
    const here = g.baselineHere?.firstRowsMs;
    const extra =
      (g.settled ? ` The window was left to settle first (${(g.settled.waitedMs / 1000).toFixed(1)} s, host then ${(g.settled.busy * 100).toFixed(0)} % busy), as the baseline's.` : '') +
      (here !== undefined ? ` The baseline view opened in this window after ours: ${here.toFixed(0)} ms (loop max ${g.baselineHere!.loopMaxMs.toFixed(0)} ms).` : '') +
      (ranges.get(g) ?? '') +
      startedNote(g);
    const polling = generation === '2026' ? 'the completion notifier waits for every task the user started, so the core follows them with the view hidden too: nothing resumes on open' : undefined;
    const open = openRows(`4.growth.${k}.open`, scale, g.opened, g.totalTasks >= 100_000 ? 300 : 200, floor, extra, polling);
    rows.push(open[0]!, open[1]!);
    if (g.reopened && g.reopenedDeferred) {
      const a = g.reopened;
      const b = g.reopenedDeferred;
      rows.push(
        row({
          id: `4.growth.${k}.reopen`,
          item: 4,
          figure: `Growth, ${scale}: view shown again, rows on screen (polling resumed after the rows)`,
          ours: b.firstRowsMs ?? 20_000,
          baseline: a.firstRowsMs ?? 20_000,
          baselineLabel: 'shown again as the extension does it (polling resumes at once)',
          unit: 'ms',
          target: 'info (diagnostic)',
          note:
            `Event-loop max delay ${b.loopMaxMs.toFixed(0)} ms vs ${a.loopMaxMs.toFixed(0)} ms. The bench holds back the core's resume (setPollingPaused shadowed) until the first task row is in the DOM: ` +
            `the difference is what the polling burst on becoming visible costs the open.`,
        }),
      );
    }
    rows.push(
      row({
        id: `4.growth.${k}.idle`,
        item: 4,
        figure: `Growth, ${scale}: view visible, nothing changing: extension-host busy share`,
        ours: g.idle.utilisation * 100,
        ...(first && first !== g ? { baseline: first.idle.utilisation * 100, baselineLabel: `the ${first.totalTasks.toLocaleString('en-US')}-task run` } : {}),
        unit: '%',
        target: 'info (growth no worse than linear; item 2 sets < 5 % at 10,000)',
        note:
          `${g.idle.seconds} s window, single run${growth}. The core sent ${Math.round(g.idle.requestsPerMinute).toLocaleString('en-US')} requests/min ` +
          (generation === '2026'
            ? `(HTTP requests: no listing in 2026, tasks/get and push listens; a task the server has promised to push is polled only as a rare safety net, see src/core/tasks/pollIntervals.ts); `
            : `(fetch calls of its HTTP transport; fixture page size ${g.pageSize}); `) +
          `event-loop max delay ${g.idle.loopMaxMs.toFixed(0)} ms; ` +
          `VS Code asked for ${g.idle.getTreeItem} items meanwhile. Extension-host heap after GC: ${g.heapHiddenMb.toFixed(0)} MB with the view hidden, ${g.idle.heapUsedMb.toFixed(0)} MB visible.`,
      }),
    );
  }
  return rows;
}

const num = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function activationRows(generation: '2025' | '2026', all: ActivationRun[]): BenchRow[] {
  const rows: BenchRow[] = [];
  const runs = all.filter((r) => num(r.activateMs));
  if (!runs.length) return rows;
  const suffix = generation === '2025' ? '' : '.2026';
  const servers = generation === '2025' ? 'configured servers' : 'configured 2026-07-28 servers';
  const wrapped = runs.filter((r) => r.activatedBy !== 'vscode');
  const byVscode = runs.length - wrapped.length;
  const activate = runs.map((r) => r.activateMs!);
  const requireMs = runs.map((r) => r.requireMs).filter(num);
  const raced = byVscode
    ? ` ${byVscode} of ${runs.length} runs were activated by VS Code before the bench (onStartupFinished): for those, activate() and the code load are VS Code's own will/didActivateExtension and will/didLoadExtensionCode marks (ms resolution).`
    : ' Every run activated by the bench (VS Code\'s onStartupFinished came later).';
  rows.push(
    row({
      id: `5.activate${suffix}`,
      item: 5,
      figure: `activate() with ${runs[0]!.configuredServers} ${servers} (cold host)`,
      ours: median(activate),
      ...(requireMs.length ? { baseline: median(requireMs) } : {}),
      baselineLabel: 'require() of the bundle, same host',
      unit: 'ms',
      target: '< 30 ms',
      check: (o) => o < 30,
      note: `${spread(activate, 1)}; each run a fresh extension host. Bundle require: ${spread(requireMs, 0)}.${raced}`,
    }),
  );
  const io = wrapped.map((r) => (r.spawns ?? 0) + (r.connects ?? 0));
  const connectedAtReturn = wrapped.map((r) => (r.statesAtReturn ?? []).filter((s) => s !== 'disconnected').length);
  const modern = wrapped.filter((r) => r.modernLoadedAtReturn).length + runs.filter((r) => r.activatedBy === 'vscode' && r.modernLoadedAtRun).length;
  // Runs VS Code activated first: sockets and module loads inside activate() cannot be seen after the fact;
  // the servers' processes can (their start times against VS Code's didActivateExtension mark).
  const seen = runs.filter((r) => r.activatedBy === 'vscode' && num(r.spawnsBeforeActivateReturned));
  const early = seen.map((r) => r.spawnsBeforeActivateReturned!);
  const parts: string[] = [];
  if (wrapped.length) {
    parts.push(
      `${wrapped.length} run(s) activated by the bench (activate() wrapped; processes, sockets and fetches counted): at most ${Math.max(...io)}; servers connecting or connected when activate() returned: ${Math.max(...connectedAtReturn)}` +
        (generation === '2026' ? `; dist/modern.js loaded by then in ${modern} of them (must be 0: the 2026 stack loads on connect)` : '') + '.',
    );
  }
  if (seen.length) {
    parts.push(
      `${seen.length} run(s) activated by VS Code first (onStartupFinished): fixture server processes started before activate() returned (their /proc start times against VS Code's didActivateExtension mark, 10 ms resolution): at most ${Math.max(...early)}; ` +
        (seen.some((r) => num(r.firstSpawnAfterActivateMs))
          ? `the first started ${spread(seen.map((r) => r.firstSpawnAfterActivateMs).filter(num), 0)} ms after activate() returned. `
          : `no server process had started at all when the bench looked (the servers connect later, when needed). `) +
        (generation === '2026'
          ? `dist/modern.js loaded when the bench looked (so possibly inside activate()): ${seen.filter((r) => r.modernLoadedAtRun).length} of ${seen.length}. `
          : '') +
        `Sockets cannot be observed in those runs; a process started and already exited would be missed.`,
    );
  }
  const unobserved = runs.length - wrapped.length - seen.length;
  if (unobserved) parts.push(`${unobserved} run(s) not observed (no marks or no /proc).`);
  const observed = [...io, ...early];
  rows.push(
    row({
      id: `5.noconnect${suffix}`,
      item: 5,
      figure: `Processes started / connections opened inside activate()${generation === '2026' ? ' (2026 servers)' : ''}`,
      ours: observed.length ? Math.max(...observed) : NaN,
      unit: 'count',
      target: generation === '2026' ? '0 (no connection, no dist/modern.js, on the activation path)' : '0 (no connection on the activation path)',
      ...(observed.length ? { check: (o: number) => o === 0 && (wrapped.length === 0 || Math.max(...connectedAtReturn) === 0) && modern === 0 } : {}),
      note: parts.join(' '),
    }),
  );
  const host = wrapped.map((r) => r.extActivateMs).filter(num);
  const marked = runs.map((r) => r.vscodeMarkedMs).filter(num);
  if (host.length) {
    rows.push(
      row({
        id: `5.activate.host${suffix}`,
        item: 5,
        figure: `Activation as the host reports it (ext.activate() wall time)${generation === '2026' ? ', 2026 servers' : ''}`,
        ours: median(host),
        ...(requireMs.length ? { baseline: median(requireMs) } : {}),
        baselineLabel: 'require() of the bundle, same host',
        unit: 'ms',
        target: 'info',
        note:
          `Includes the host's own activation work while it is still starting up; the bundle was pre-loaded, so no require in it. ` +
          (marked.length ? `VS Code's will/didActivate marks: ${median(marked)} ms.` : ''),
      }),
    );
  }
  return rows;
}
