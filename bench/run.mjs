// `npm run bench`: builds what is missing or stale, runs the Node benches (out/bench/node/main.js) and the
// extension-host benches (bench/run-host.mjs), prints one table and writes it to bench/RESULTS.md with the
// machine it ran on. Every figure is a median over repeats, with a baseline measured in the same run.
//   node bench/run.mjs [--no-host] [--no-node] [--strict] [--growth …] [--growth-2026 …]
//   --strict: exit 1 when a target is missed (default: exit 1 only when a bench itself fails).
//   --growth / --growth-2026: passed to run-host.mjs (e.g. `--growth-2026 1000,10000,100000`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const flag = (f) => process.argv.includes(f);
const log = (...m) => console.error('[bench]', ...m);
const started = Date.now();
const loadAtStart = os.loadavg();

function run(cmd, args, what) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  log(`${what}: exit ${r.status} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  return r.status;
}

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

// 1. Build: the TypeScript output (benches, core, fixture server) always (fast); the bundle when stale.
const tsc = path.join(root, 'node_modules/.bin/tsc');
if (run(tsc, ['-p', '.'], 'tsc -p .') !== 0) {
  if (!existsSync(path.join(root, 'out/bench/node/main.js'))) process.exit(1);
  log('tsc reported errors (emitted anyway); benchmarking what compiled');
}
const bundle = path.join(root, 'dist/extension.js');
if (!existsSync(bundle) || newestMtime(path.join(root, 'src')) > statSync(bundle).mtimeMs || !existsSync(path.join(root, 'dist/meta.json'))) {
  if (run(process.execPath, ['esbuild.js'], 'esbuild (development bundle)') !== 0) process.exit(1);
}

// 2. The benches.
const tmp = os.tmpdir();
const rows = [];
const failures = [];
let warnings = {};
if (!flag('--no-node')) {
  const out = path.join(tmp, `mcp-tasks-bench-node-${process.pid}.json`);
  run(process.execPath, ['--expose-gc', 'out/bench/node/main.js', '--out', out], 'node benches');
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    rows.push(...r.rows);
    failures.push(...r.failures);
    warnings = r.warnings ?? {};
    rmSync(out, { force: true });
  } else failures.push('node benches wrote no results');
}
if (!flag('--no-host')) {
  const out = path.join(tmp, `mcp-tasks-bench-host-${process.pid}.json`);
  const passed = ['--growth', '--growth-2026'].flatMap((f) => {
    const i = process.argv.indexOf(f);
    return i >= 0 && process.argv[i + 1] ? [f, process.argv[i + 1]] : [];
  });
  run(process.execPath, ['bench/run-host.mjs', '--out', out, ...passed], 'extension-host benches');
  if (existsSync(out)) {
    const figures = JSON.parse(readFileSync(out, 'utf8'));
    try {
      rows.push(...require(path.join(root, 'out/bench/lib/hostRows.js')).hostRows(figures));
    } catch (err) {
      failures.push(`host rows: ${err?.stack ?? err}`);
    }
    failures.push(...figures.errors);
    rmSync(out, { force: true });
  } else failures.push('host benches wrote no results');
}

// 3. The table.
const order = ['1.a', '1.b', '1.c', '1.d', '2.a', '2.b', '2.c', '2.d', '2.e', '2.f', '2.g', '3.stdio.get', '3.stdio.list', '3.http.get', '3.http.list',
  '3.2026.stdio.get', '3.2026.http.get', '4.build', '4.batch', '4.fired', '4.stutter', '4.opened', '4.opened.loop', '4.visible', '4.memory',
  ...['1k', '10k', '100k', '2026.1k', '2026.10k', '2026.100k'].flatMap((k) => ['open', 'open.loop', 'reopen', 'idle'].map((m) => `4.growth.${k}.${m}`)),
  '4.requestCost.cpu',
  '5.activate', '5.noconnect', '5.activate.host', '5.activate.2026', '5.noconnect.2026', '5.activate.host.2026',
  '5.connect.2026.detect', '5.connect.2026.remembered', '5.modern.load', '5.bundle', '5.bundle.2026', '5.bundle.bridge', '5.bundle.dev', '6.text', '6.open', '6.memory',
  '12.task', '12.call', '12.fetch', '12.memory'];
rows.sort((a, b) => (order.indexOf(a.id) + 1 || 99) - (order.indexOf(b.id) + 1 || 99));

function fmt(n, unit) {
  if (n === undefined || n === null || Number.isNaN(n)) return '—';
  if (unit === 'req/min') return `${Math.round(n).toLocaleString('en-US')} ${unit}`;
  if (unit === 'MB') return `${n.toFixed(2)} MB`;
  if (unit === 'ms') return `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} ms`;
  if (unit === '%') return `${n.toFixed(0)} %`;
  return `${Math.round(n).toLocaleString('en-US')} ${unit}`;
}
const ratio = (r) => (r === undefined ? '—' : r < 0.01 ? `${r.toFixed(4)}×` : r < 10 ? `${r.toFixed(2)}×` : `${r.toFixed(0)}×`);
const verdict = (p) => (p === undefined ? 'info' : p ? 'pass' : 'FAIL');
const table = rows.map((r) => ({
  figure: `${r.item}. ${r.figure}`,
  ours: fmt(r.ours, r.unit),
  baseline: r.baseline === undefined ? '—' : `${fmt(r.baseline, r.unit)}${r.baselineLabel ? ` (${r.baselineLabel})` : ''}`,
  ratio: ratio(r.ratio),
  target: r.target,
  result: verdict(r.pass),
}));

const heads = { figure: 'figure', ours: 'ours', baseline: 'baseline', ratio: 'ratio', target: 'target', result: 'pass/fail' };
const cols = Object.keys(heads);
const width = Object.fromEntries(cols.map((c) => [c, Math.max(heads[c].length, ...table.map((t) => t[c].length))]));
const line = (t) => cols.map((c) => t[c].padEnd(width[c])).join(' │ ');
console.log('\n' + line(heads));
console.log(cols.map((c) => '─'.repeat(width[c])).join('─┼─'));
for (const t of table) console.log(line(t));
const missed = rows.filter((r) => r.pass === false);
console.log(`\n${rows.filter((r) => r.pass).length} pass, ${missed.length} fail, ${rows.filter((r) => r.pass === undefined).length} info` +
  (failures.length ? `; ${failures.length} bench error(s):\n  ${failures.map((f) => f.split('\n')[0]).join('\n  ')}` : ''));

// 4. bench/RESULTS.md
const cpus = os.cpus();
let commit = 'unknown';
try {
  commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || commit;
} catch { /* not a git checkout */ }
const machine = [
  `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
  `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
  `- Node: ${process.version}`,
  `- Load average (1, 5, 15 min) at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}; at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} (shared machine: other engineers' test runs)`,
  `- Commit: ${commit} (plus uncommitted work in progress)`,
  `- Date: ${new Date().toISOString()}`,
  `- Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s`,
];
const esc = (s) => String(s).replace(/\|/g, '\\|');
const md = [
  '# Benchmark results',
  '',
  'Latest `npm run bench` (written by `bench/run.mjs`; see `bench/README.md` for what each figure measures).',
  'Every figure is a median over repeated runs; the baseline is measured in the same run; ratio = ours / baseline.',
  '',
  '## Machine',
  '',
  ...machine,
  '',
  '## Table',
  '',
  '| figure | ours | baseline | ratio | target | pass/fail |',
  '|---|---|---|---|---|---|',
  ...table.map((t) => `| ${cols.map((c) => esc(c === 'result' && t[c] === 'FAIL' ? '**FAIL**' : t[c])).join(' | ')} |`),
  '',
  `${rows.filter((r) => r.pass).length} pass, ${missed.length} fail, ${rows.filter((r) => r.pass === undefined).length} informational.`,
  '',
  '## Notes per figure',
  '',
  ...rows.map((r) => `- **${r.item}. ${esc(r.figure)}** — ${esc(r.note ?? '')}`),
  ...(Object.keys(warnings).length ? ['', '## Node warnings seen (Node-side benches)', '', ...Object.entries(warnings).map(([k, n]) => `- ${esc(k)}: ${n}×`)] : []),
  ...(failures.length ? ['', '## Bench errors', '', ...failures.map((f) => '```\n' + f + '\n```')] : []),
  '',
  '<!-- ANALYSIS -->',
  '',
];
const resultsPath = path.join(root, 'bench/RESULTS.md');
// Keep any hand-written analysis below the marker from the previous results.
if (existsSync(resultsPath)) {
  const previous = readFileSync(resultsPath, 'utf8');
  const at = previous.indexOf('<!-- ANALYSIS -->');
  if (at >= 0) md.push(previous.slice(at + '<!-- ANALYSIS -->'.length).replace(/^\n+/, ''));
}
writeFileSync(resultsPath, md.join('\n'));
log(`table written to bench/RESULTS.md; whole run ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failures.length || (flag('--strict') && missed.length) ? 1 : 0);
