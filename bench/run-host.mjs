// Runs the extension-host benches (out/bench/host/index.js) in a real VS Code: code-server + headless
// Chromium, through scripts/lib/codeServerHost.mjs (the integration tests' host). Fixture servers are
// started here, on 127.0.0.1 only.
//   activation runs: a folder with three stdio servers; each run is a fresh window, hence a fresh extension
//                    host, so every activation is cold.
//   view run:        a folder with ten HTTP servers holding 1,000 tasks each.
//   baseline runs:   the floor of the view-open figures: a fresh window each (after one warm-up window that
//                    is not counted), a trivial tree view with the same rows (bench/host/baseline-view, an
//                    extension code-server is given beside ours) opened for the first time.
//   growth runs:     ten HTTP servers holding 1,000 / 10,000 / 100,000 tasks in all (fixture page size 100),
//                    one fresh window each: the view opened and left visible (issue 13, item 6); then ten
//                    2026-07-28 HTTP servers with 1,000 / 10,000 tasks the extension starts in the window
//                    (2026 has no tasks/list: a client knows only what it started; item 7).
// Usage: node bench/run-host.mjs [--out figures.json] [--activation-runs N] [--baseline-runs N]
//        [--growth 1000,10000,100000|none] [--growth-2026 1000,10000|none] [--open-runs N] (fresh windows per
//        growth scale; rows are medians)
//        [--defer-polling] (diagnostic: the growth windows' first open with polling resumed after the rows)
//        [--request-cost] (issue 13 item 2: CPU per tasks/list page by fetch, in the host; see host/requestCost.ts)
//        BENCH_HOST_PROFILE=dir: CPU profiles of the extension host (the open, the idle window) per growth scale
// Writes the raw figures ({ activation: [...], view: {...}, growth: [...] }) as JSON; bench/run.mjs turns
// them into rows.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { ensureTestHost, launchChromium, root, startCodeServer } from '../scripts/lib/codeServerHost.mjs';

const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const outFile = arg('--out', path.join(tmpdir(), `mcp-tasks-bench-host-${process.pid}.json`));
const activationRuns = Number(arg('--activation-runs', 5));
const skipView = process.argv.includes('--skip-view');
const baselineRuns = Number(arg('--baseline-runs', 3));
/** Experiments: rows per group of the baseline windows (default: the page our view shows). */
const baselineRows = arg('--baseline-rows', undefined);
const baselineExtension = path.join(root, 'bench/host/baseline-view');
const scales = (value) => (value === 'none' ? [] : value.split(',').map(Number).filter((n) => n > 0));
const growthScales = scales(arg('--growth', '1000,10000,100000'));
/** The same growth windows on 2026-07-28 servers, where the extension starts every task itself (index.ts). */
const growth2026Scales = scales(arg('--growth-2026', '1000,10000'));
const GROWTH_SERVERS = 10;
/** Fresh windows per growth scale (the same servers): the open rows are then medians (noisy shared machines). */
const openRuns = Number(arg('--open-runs', 1));
const GROWTH_PAGE_SIZE = 100;
/** 2026 growth windows: the longest wait for the host to settle after starting the tasks (see index.ts settleMaxS). */
const SETTLE_2026_MAX_S = 240;
/** Diagnostic: the growth windows open the view with the core's polling resumed only after the rows. */
const deferPolling = process.argv.includes('--defer-polling');
/** Debugging the host benches: one round, no document bench. */
const quick = process.argv.includes('--quick');
const requestCost = process.argv.includes('--request-cost');
const testsPath = path.join(root, 'out/bench/host/index.js');
const log = (...m) => console.error('[bench:host]', ...m);

if (!existsSync(testsPath)) throw new Error(`${testsPath} is missing: compile first (npx tsc -p .)`);
if (!existsSync(path.join(root, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: build first (npm run build)');
const fixtures = require(path.join(root, 'out/bench/host/fixtures.js'));
const harness = require(path.join(root, 'out/bench/lib/harness.js'));

/**
 * The changer: the view bench asks it (POST {url, ids}) to cancel tasks on a fixture server, so the client
 * making the changes runs here and costs the measured extension host nothing. Loopback only.
 */
async function startChanger() {
  const clients = new Map();
  const client = (url) => {
    if (!clients.has(url)) clients.set(url, harness.rawHttp('changer', url));
    return clients.get(url);
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      try {
        if (req.url === '/arm') {
          // Stamps (epoch ms, this machine's clock) the first task row to enter the workbench's DOM from now.
          const rowsAlready = currentPage ? await currentPage.evaluate(armFirstRow) : 0;
          if (process.env.BENCH_PAGE_PROFILE && currentPage) await startPageProfile(currentPage);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rowsAlready }));
          return;
        }
        if (req.url === '/firstRow') {
          const at = currentPage ? await currentPage.evaluate(() => window.__mcpTasksFirstRowAt) : undefined;
          if (at !== undefined && pageProfile) setTimeout(savePageProfile, 300);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(at === undefined ? {} : { at }));
          return;
        }
        if (req.url === '/rows') {
          // What the tree shows right now: the aria labels of the rendered rows of the window under test.
          const rows = currentPage ? await currentPage.evaluate(() => [...document.querySelectorAll('.monaco-list-row')].map((r) => r.getAttribute('aria-label') ?? '')) : [];
          if (process.env.BENCH_DEBUG && currentPage) await currentPage.screenshot({ path: path.join(tmpdir(), 'mcp-tasks-bench-rows.png') });
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
          return;
        }
        const { url, ids } = JSON.parse(body);
        const raw = await client(url);
        await harness.eachLimit(ids, 8, (id) => raw.client.experimental.tasks.cancelTask(id).catch(() => undefined));
        res.writeHead(200).end('ok');
      } catch (err) {
        res.writeHead(500).end(String(err?.stack ?? err));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/cancel`,
    rows: `http://127.0.0.1:${server.address().port}/rows`,
    arm: `http://127.0.0.1:${server.address().port}/arm`,
    firstRow: `http://127.0.0.1:${server.address().port}/firstRow`,
    async stop() {
      server.close();
      for (const c of clients.values()) await (await c).close().catch(() => undefined);
    },
  };
}

/** Diagnostics (BENCH_PAGE_PROFILE=dir): a CPU profile of the workbench page from arming until 300 ms after the rows. */
let pageProfile;
let pageProfiles = 0;
async function startPageProfile(page) {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  pageProfile = session;
}
async function savePageProfile() {
  const session = pageProfile;
  if (!session) return;
  pageProfile = undefined;
  const { profile } = await session.send('Profiler.stop');
  await session.detach().catch(() => undefined);
  const dir = path.resolve(process.env.BENCH_PAGE_PROFILE);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `page-${++pageProfiles}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  log(`workbench CPU profile written to ${file}`);
}

/**
 * Runs in the workbench page: a task row is a list row whose aria label is "<label>, <status>…" (see
 * TaskTreeProvider: accessibilityInformation). Returns how many were there already (must be 0).
 */
function armFirstRow() {
  const isTaskRow = (r) => /^[^,]+, (working|input required|completed|failed|cancelled|expired|unknown)(,|$)/.test(r.getAttribute('aria-label') ?? '');
  const already = [...document.querySelectorAll('.monaco-list-row')].filter(isTaskRow).length;
  window.__mcpTasksFirstRowAt = undefined;
  window.__mcpTasksRowObserver?.disconnect();
  const observer = new MutationObserver(() => {
    if ([...document.querySelectorAll('.monaco-list-row')].some(isTaskRow)) {
      window.__mcpTasksFirstRowAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  window.__mcpTasksRowObserver = observer;
  return already;
}

const benchUrl = (host, folder) => host.url({ folder, extensionDevelopmentPath: root, extensionTestsPath: testsPath });

const quiet = /^\[AgentHost|^\[AccountPolicyGate\]|^Creating a socket|connection token|grace-time|builtin extensions cache|^\[Service Worker\]|^Ignoring fetching additional builtin/;

let currentPage;

/** Opens one window on `folder`, waits for the bench's run() to finish, closes the window. */
async function runWindow(browser, host, folder, timeoutMs) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  currentPage = page;
  try {
    let finish;
    const done = new Promise((r) => (finish = r));
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const msg = format(...(args ?? []));
      if (!process.env.VERBOSE && (quiet.test(msg) || !msg.startsWith('[bench:host]'))) return;
      console.error(msg);
    });
    page.on('crash', () => finish(3));
    await page.goto(benchUrl(host, folder));
    let timer;
    const code = await Promise.race([done, new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
    clearTimeout(timer);
    if (code !== 0) {
      const shot = path.join(tmpdir(), `mcp-tasks-bench-host-${Date.now()}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      log(`window on ${folder} ended with ${code}; screenshot ${shot}\n${host.lines.slice(-20).join('\n')}`);
    }
    return code;
  } finally {
    currentPage = undefined;
    await page.close().catch(() => undefined);
  }
}

async function main() {
  ensureTestHost();
  const t0 = Date.now();
  log('starting 10 HTTP fixture servers with 1,000 tasks each');
  const viewServers = await fixtures.startViewServers(10, 1000);
  const changer = await startChanger();
  const folders = [];
  const results = { activation: [], view: undefined, baseline: [], growth: [], requestCost: undefined, errors: [] };
  let host;
  let browser;
  try {
    const activationFolder = fixtures.makeFolder('activation', fixtures.stdioServers(3), {});
    const viewOut = path.join(tmpdir(), `mcp-tasks-bench-view-${process.pid}.json`);
    const viewFolder = fixtures.makeFolder('view', fixtures.httpServers(viewServers.urls), { mode: 'view', out: viewOut, tasksPerServer: 1000, repeats: quick ? 1 : 5, skipDocument: quick, changer: changer.url, rows: changer.rows, arm: changer.arm, firstRow: changer.firstRow });
    folders.push(activationFolder, viewFolder);
    // BENCH_HOST_SETTINGS (JSON) adds user settings, for experiments; the reported runs use the defaults.
    const extra = process.env.BENCH_HOST_SETTINGS ? JSON.parse(process.env.BENCH_HOST_SETTINGS) : {};
    host = await startCodeServer({ settings: { 'mcpTasks.readUserMcpJson': false, 'extensions.ignoreRecommendations': true, ...extra }, extraExtensions: [baselineExtension] });
    browser = await launchChromium();
    log(`code-server up (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

    // Cold activation, once per generation of the folder's servers (each run a fresh window and host).
    const activation2026Folder = fixtures.makeFolder('activation-2026', fixtures.stdio2026Servers(3), {});
    folders.push(activation2026Folder);
    for (const [generation, folder] of [['2025', activationFolder], ['2026', activation2026Folder]]) {
      for (let i = 0; i < activationRuns; i++) {
        const out = path.join(tmpdir(), `mcp-tasks-bench-activation-${process.pid}-${generation}-${i}.json`);
        fixtures.setControl(folder, { mode: 'activation', generation, out });
        const code = await runWindow(browser, host, folder, 90_000);
        if (code === 0 && existsSync(out)) {
          const figures = JSON.parse(readFileSync(out, 'utf8'));
          rmSync(out, { force: true });
          if (figures.error) results.errors.push(`activation run ${generation} ${i + 1}: ${figures.error}`);
          else results.activation.push(figures);
          log(`activation run ${generation} ${i + 1}/${activationRuns} (activated by ${figures.activatedBy}): activate() ${figures.activateMs?.toFixed(1)} ms, bundle require ${figures.requireMs?.toFixed(1)} ms`);
        } else {
          results.errors.push(`activation run ${generation} ${i + 1}: window ended with ${code}`);
        }
      }
    }

    log('view run');
    const code = skipView ? 'skipped' : await runWindow(browser, host, viewFolder, 240_000);
    if (code === 0 && existsSync(viewOut)) {
      results.view = JSON.parse(readFileSync(viewOut, 'utf8'));
      rmSync(viewOut, { force: true });
      if (results.view.error) results.errors.push(`view run: ${results.view.error}`);
    } else {
      results.errors.push(`view run: window ended with ${code}`);
    }
    await viewServers.stop();

    /** One window on `folder`: the figures it wrote to `out`, or undefined with the error noted. */
    const figuresOfWindow = async (folder, out, label, timeoutMs = 300_000) => {
      const code = await runWindow(browser, host, folder, timeoutMs);
      if (code !== 0 || !existsSync(out)) {
        results.errors.push(`${label}: window ended with ${code}`);
        return undefined;
      }
      const figures = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(out, { force: true });
      if (figures.error) results.errors.push(`${label}: ${figures.error}`);
      return figures.error ? undefined : figures;
    };

    if (requestCost) {
      // One server, 1,000 tasks, pages of 100; a folder with no servers, so the extension polls nothing meanwhile.
      const servers = await fixtures.startViewServers(1, 1000, ['--page-size', String(GROWTH_PAGE_SIZE)]);
      const out = path.join(tmpdir(), `mcp-tasks-bench-request-cost-${process.pid}.json`);
      const folder = fixtures.makeFolder('request-cost', {}, { mode: 'requestCost', out, url: servers.urls[0], ...(process.env.BENCH_HOST_PROFILE ? { profileDir: path.resolve(process.env.BENCH_HOST_PROFILE) } : {}) });
      folders.push(folder);
      try {
        const figures = await figuresOfWindow(folder, out, 'request cost');
        if (figures) results.requestCost = figures.requestCost;
      } finally {
        await servers.stop();
      }
    }

    // The baseline view's first open, a fresh window each; the first window is a warm-up (the browser's and
    // code-server's caches), kept apart as `cold` when it is the first window of the run.
    if (baselineRuns > 0) {
      const folder = fixtures.makeFolder('baseline', {}, {});
      folders.push(folder);
      for (let i = 0; i <= baselineRuns; i++) {
        const out = path.join(tmpdir(), `mcp-tasks-bench-baseline-${process.pid}-${i}.json`);
        fixtures.setControl(folder, { mode: 'baseline', out, servers: GROWTH_SERVERS, tasksPerServer: 1000, ...(baselineRows ? { rowsPerServer: Number(baselineRows) } : {}), arm: changer.arm, firstRow: changer.firstRow });
        const figures = await figuresOfWindow(folder, out, `baseline ${i}`, 90_000);
        if (!figures) continue;
        if (i === 0) results.baselineWarmUp = { ...figures, firstWindow: activationRuns === 0 && skipView };
        else results.baseline.push(figures);
      }
    }

    // The growth table: each scale its own servers and a fresh window; 2025-11-25 servers (holding their
    // tasks), then 2026-07-28 servers (empty: the extension starts the tasks in the window).
    const growthWindows = [...growthScales.map((total) => ['2025', total]), ...growth2026Scales.map((total) => ['2026', total])];
    for (const [generation, total] of growthWindows) {
      const perServer = Math.round(total / GROWTH_SERVERS);
      const t = Date.now();
      log(`growth ${generation}: starting ${GROWTH_SERVERS} HTTP fixture servers ${generation === '2025' ? `with ${perServer.toLocaleString('en-US')} tasks each` : `(2026-07-28; the extension will start ${perServer.toLocaleString('en-US')} tasks on each)`}`);
      const servers = generation === '2025' ? await fixtures.startViewServers(GROWTH_SERVERS, perServer, ['--page-size', String(GROWTH_PAGE_SIZE)]) : await fixtures.startView2026Servers(GROWTH_SERVERS);
      const out = path.join(tmpdir(), `mcp-tasks-bench-growth-${process.pid}-${generation}-${total}.json`);
      const folder = fixtures.makeFolder(`growth-${generation}-${total}`, fixtures.httpServers(servers.urls), { mode: 'open', generation, ...(generation === '2026' ? { settleMaxS: SETTLE_2026_MAX_S } : {}), out, servers: GROWTH_SERVERS, tasksPerServer: perServer, arm: changer.arm, firstRow: changer.firstRow, deferPolling, ...(process.env.BENCH_HOST_PROFILE ? { profileDir: path.resolve(process.env.BENCH_HOST_PROFILE) } : {}) });
      folders.push(folder);
      try {
        for (let run = 0; run < openRuns; run++) {
          // 2026: starting the tasks is part of the window (about 1 s per 100 on 2 cores): a longer limit.
          const figures = await figuresOfWindow(folder, out, `growth ${generation} ${total}`, 300_000 + (generation === '2026' ? total * 30 + SETTLE_2026_MAX_S * 1000 : 0));
          if (figures) results.growth.push({ ...figures, generation, pageSize: GROWTH_PAGE_SIZE });
        }
      } finally {
        await servers.stop();
      }
      log(`growth ${generation} ${total.toLocaleString('en-US')}: ${((Date.now() - t) / 1000).toFixed(0)} s`);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.stop().catch(() => undefined);
    await changer.stop();
    await viewServers.stop();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  }
  writeFileSync(outFile, JSON.stringify(results, null, 2));
  log(`host benches done in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${outFile}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('[bench:host] failed:', err);
    process.exit(1);
  },
);
