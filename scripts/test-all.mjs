// `npm test`: build, compile, then both suites — unit (mocha in Node) and integration (the real extension
// host). Both always run; each prints its own `N passed, N failed` line; the exit code is non-zero if either failed.
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
console.log(`\nunit: ${unit === 0 ? 'ok' : 'FAILED'}, integration: ${integration === 0 ? 'ok' : 'FAILED'}`);
process.exit(unit !== 0 || integration !== 0 ? 1 : 0);
