// `npm test`: the layering check, build, compile, then every suite — node (mocha in Node against real server
// processes), integration (the real extension host, trusted and untrusted windows) and the end-to-end UI check
// (the browser workbench). All suites always run; each prints its own `N passed, N failed` line; the exit code
// is non-zero if any failed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
};
const node = process.execPath;
const bin = (name) => path.join(root, 'node_modules/.bin', name);

if (run('layers', node, ['scripts/check-layers.mjs']) !== 0) process.exit(1);
if (run('build', node, ['esbuild.js']) !== 0 || run('compile', bin('tsc'), ['-p', '.']) !== 0) process.exit(1);
const suites = {
  node: run('node tests', bin('mocha'), [], { MOCHA_SUITE: 'node' }),
  integration: run('integration tests', node, ['scripts/run-integration-tests.mjs']),
  e2e: run('end-to-end UI check', node, ['test/e2e/ui.e2e.mjs']),
};
console.log(`\n${Object.entries(suites).map(([name, code]) => `${name}: ${code === 0 ? 'ok' : 'FAILED'}`).join(', ')}`);
process.exit(Object.values(suites).some((code) => code !== 0) ? 1 : 0);
