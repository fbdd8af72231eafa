// Process trees: a stdio server is often a wrapper (npx, sh -c, uvx) around the real server process. Stopping
// the server (dispose, restart) must end the whole tree, not only the wrapper, and must leave nothing that
// keeps Node's event loop alive (the CLI used to wait ~6 s, then warn "something kept the process alive").
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StdioServerConfig } from '../../../src/core/config/ServerConfig';
import type { CoreSettings } from '../../../src/core/model/ports';
import { ServerRegistry } from '../../../src/core/servers/ServerRegistry';
import type { TaskServer } from '../../../src/core/servers/TaskServer';
import { MemoryStorage } from '../../support/memoryStorage';
import { waitConnected, waitFor } from '../../support/waiting';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const EVERYTHING_MAIN = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const SETTINGS: CoreSettings = { minPollIntervalMs: 100, maxPollIntervalMs: 2_000, defaultTaskTtlMs: 60_000, requestTimeoutMs: 10_000 };
const posix = process.platform !== 'win32';

/** `ppid` and state of a live process, from /proc (Linux). Zombies count as gone: they run nothing. */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …; comm may contain spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0]!, ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    const s = procStat(pid);
    return s !== undefined && s.state !== 'Z' && s.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `root` and every live descendant of it. */
function processTree(root: number): number[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const children = new Map<number, number[]>();
  for (const pid of all) {
    const s = procStat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (!alive(pid)) continue;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function stdio(id: string, command: string, args: string[]): StdioServerConfig {
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command, args, env: {}, cwd: REPO_ROOT };
}

/**
 * server-everything over stdio, as a server that does not exit when its stdin ends (a timer keeps it up:
 * common among real servers, and what leaves orphans behind a wrapper that is killed alone).
 */
const STUBBORN_SERVER = `setInterval(() => {}, 60_000); import(${JSON.stringify(pathToFileURL(path.join(path.dirname(EVERYTHING_MAIN), 'transports', 'stdio.js')).href)})`;

/** `sh -c '<node server>; …'`: the trailing command keeps sh from exec'ing, so the server is a grandchild. */
function shWrapped(id: string): StdioServerConfig {
  return stdio(id, '/bin/sh', ['-c', '"$0" -e "$1"; echo "server ended" >&2', process.execPath, STUBBORN_SERVER]);
}

function registry(): ServerRegistry {
  return new ServerRegistry({ storage: new MemoryStorage(), log: { log: () => undefined }, elicit: async () => ({ action: 'decline' }), settings: () => SETTINGS });
}

async function connectedTree(server: TaskServer): Promise<number[]> {
  await waitConnected(server, 20_000);
  const pid = server.processId;
  assert.ok(pid !== undefined, 'a stdio server has a process id');
  // The wrapper's child is there once the server answered initialize.
  const tree = await waitFor('the wrapper and the server beneath it', () => {
    const t = processTree(pid);
    return t.length >= 2 ? t : undefined;
  });
  return tree;
}

async function timed<T>(promise: Promise<T>): Promise<number> {
  const start = Date.now();
  await promise;
  return Date.now() - start;
}

(posix && existsSync('/proc/self/stat') ? describe : describe.skip)('reliability: process trees', function () {
  this.timeout(60_000);
  const registries: ServerRegistry[] = [];
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.dispose()));
  });

  it('dispose ends a wrapper (sh -c) and the server it started, promptly', async () => {
    const r = registry();
    registries.push(r);
    r.setConfigs([shWrapped('wrapped')]);
    const tree = await connectedTree(r.get('wrapped')!);
    const took = await timed(r.dispose());
    assert.ok(took < 3_000, `registry.dispose() took ${took} ms`);
    const left = await waitFor('every process of the tree to end', () => (tree.some(alive) ? false : 'gone'), 3_000).catch(() => undefined);
    assert.equal(left, 'gone', `still running after dispose: ${tree.filter(alive).join(', ')} of ${tree.join(', ')}`);
  });

  it('restart ends the old tree before starting a new one', async () => {
    const r = registry();
    registries.push(r);
    r.setConfigs([shWrapped('restarted')]);
    const server = r.get('restarted')!;
    const oldTree = await connectedTree(server);
    await server.restart();
    const newTree = await connectedTree(server);
    assert.ok(!newTree.includes(oldTree[0]!), 'a new process after the restart');
    assert.deepEqual(oldTree.filter(alive), [], `the old tree outlived the restart: ${oldTree.join(', ')}`);
  });

  it('npx-launched server (npm exec → sh → node) leaves no process behind', async () => {
    const r = registry();
    registries.push(r);
    // --no-install: the package is in node_modules; never reach out to the registry from a test.
    r.setConfigs([{ ...stdio('npx', 'npx', ['--no-install', '-c', '"$MCP_NODE" -e "$MCP_SERVER"']), env: { MCP_NODE: process.execPath, MCP_SERVER: STUBBORN_SERVER } }]);
    const tree = await connectedTree(r.get('npx')!);
    const took = await timed(r.dispose());
    assert.ok(took < 3_000, `registry.dispose() took ${took} ms`);
    const gone = await waitFor('every process of the npx tree to end', () => (tree.some(alive) ? false : true), 3_000).catch(() => false);
    assert.ok(gone, `still running after dispose: ${tree.filter(alive).join(', ')} of ${tree.join(', ')}`);
  });

  it('a process that disposes its registry exits at once: nothing keeps the event loop alive', async () => {
    // A child Node process does what the CLI does: connect, dispose, then simply return.
    const script = `
      const { ServerRegistry } = require(${JSON.stringify(path.join(__dirname, '..', '..', '..', 'src', 'core', 'servers', 'ServerRegistry.js'))});
      const settings = ${JSON.stringify(SETTINGS)};
      const r = new ServerRegistry({ storage: { get: () => undefined, set: async () => {} }, log: { log: () => {} }, elicit: async () => ({ action: 'decline' }), settings: () => settings });
      r.setConfigs([${JSON.stringify(shWrapped('child'))}]);
      const s = r.get('child');
      const t0 = Date.now();
      const wait = () => s.state.kind === 'connected' ? Promise.resolve() : Date.now() - t0 > 20000 ? Promise.reject(new Error('no connect')) : new Promise((ok) => setTimeout(ok, 20)).then(wait);
      wait().then(async () => {
        const fs = require('node:fs');
        const ppid = (p) => { try { const st = fs.readFileSync('/proc/' + p + '/stat', 'utf8'); return Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]); } catch { return -1; } };
        const kids = fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d) && ppid(d) === s.processId);
        console.log('TREE ' + [s.processId, ...kids].join(','));
        await r.dispose();
        console.log('DISPOSED ' + Date.now());
      }).catch((e) => { console.error(e); process.exit(9); });
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (out += c));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 20_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const exitedAt = Date.now();
    const disposedAt = Number(/DISPOSED (\d+)/.exec(out)?.[1]);
    assert.equal(code, 0, `the child exits by itself with 0 (output: ${out})`);
    assert.ok(exitedAt - disposedAt < 1_000, `the process lingered ${exitedAt - disposedAt} ms after dispose`);
    const tree = (/TREE ([\d,]+)/.exec(out)?.[1] ?? '').split(',').map(Number);
    assert.ok(tree.length >= 2, `the wrapper and its server were seen: ${out}`);
    assert.deepEqual(tree.filter(alive), [], `still running: ${tree.join(', ')}`);
  });
});
