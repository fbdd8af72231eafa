// `npm test`: the layering check, build, compile, then every suite — node (mocha in Node against real server
// processes), integration (the real extension host, trusted and untrusted windows) and the end-to-end UI check
// (the browser workbench). All suites always run; each prints its own `N passed, N failed` line; the exit code
// is non-zero if any failed. A failed suite's failure report is printed again at the very end, because CI keeps
// only the tail of a run and the node suite's report would otherwise sit twenty minutes of output earlier.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TAIL_LINES = 80;
const ansi = /\u001b\[[0-9;]*m/g;

/** Runs a step with its output shown live; resolves to its exit code and what it printed. */
const run = (label, cmd, args, env = {}) =>
  new Promise((resolve) => {
    console.log(`\n=== ${label}`);
    const child = spawn(cmd, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    const keep = (stream, sink) =>
      stream.on('data', (chunk) => {
        sink.write(chunk);
        output += chunk.toString();
      });
    keep(child.stdout, process.stdout);
    keep(child.stderr, process.stderr);
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });

/** Mocha's failure report (from "N failing" on), else the last lines. */
const failureReport = (output) => {
  const lines = output.replace(ansi, '').split('\n');
  const start = lines.findIndex((line) => /^\s*\d+ failing/.test(line));
  return (start >= 0 ? lines.slice(start) : lines).slice(-TAIL_LINES).join('\n');
};

const node = process.execPath;
const bin = (name) => path.join(root, 'node_modules/.bin', name);

if ((await run('layers', node, ['scripts/check-layers.mjs'])).code !== 0) process.exit(1);
if ((await run('build', node, ['esbuild.js'])).code !== 0 || (await run('compile', bin('tsc'), ['-p', '.'])).code !== 0) {
  process.exit(1);
}
const suites = {
  node: await run('node tests', bin('mocha'), [], { MOCHA_SUITE: 'node' }),
  integration: await run('integration tests', node, ['scripts/run-integration-tests.mjs']),
  e2e: await run('end-to-end UI check', node, ['test/e2e/ui.e2e.mjs']),
};
for (const [name, { code, output }] of Object.entries(suites)) {
  if (code !== 0) console.log(`\n=== ${name} failed; its report again:\n${failureReport(output)}`);
}
console.log(`\n${Object.entries(suites).map(([name, { code }]) => `${name}: ${code === 0 ? 'ok' : 'FAILED'}`).join(', ')}`);
process.exit(Object.values(suites).some(({ code }) => code !== 0) ? 1 : 0);
