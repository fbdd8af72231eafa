// `npm test`: build, compile, then every suite — unit (mocha in Node), integration (the real extension
// host, trusted and untrusted windows) and the end-to-end UI check (the browser workbench). All always run; each prints its own `N passed, N failed` line; the exit code is non-zero if either failed.
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

if (run('build', node, ['esbuild.js']) !== 0 || run('compile', bin('tsc'), ['-p', '.']) !== 0) process.exit(1);
const unit = run('unit tests', bin('mocha'), [], { MOCHA_SUITE: 'unit' });
const integration = run('integration tests', node, ['scripts/run-integration-tests.mjs']);
const e2e = run('end-to-end UI check', node, ['test/e2e/ui.e2e.mjs']);
const verdict = (c) => (c === 0 ? 'ok' : 'FAILED');
console.log(`\nunit: ${verdict(unit)}, integration: ${verdict(integration)}, e2e: ${verdict(e2e)}`);
process.exit(unit || integration || e2e ? 1 : 0);
