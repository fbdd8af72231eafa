// Session-bound tasks over Streamable HTTP: server-everything keeps its tasks per MCP session. The client
// persists its session id (the host's KeyValueStorage: workspace state in the editor, the CLI's state file)
// and resumes it on the next connection, so a task started by one CLI run or before a window reload is
// still known afterwards; a session the server no longer knows (it restarted) gives way to a new one.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import type { HttpServerConfig } from '../../../src/core/config/ServerConfig';
import type { CoreSettings } from '../../../src/core/model/ports';
import { ServerRegistry } from '../../../src/core/servers/ServerRegistry';
import { MemoryStorage } from '../../support/memoryStorage';
import { waitConnected, waitFor, waitForStatus } from '../../support/waiting';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const EVERYTHING_MAIN = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const SETTINGS: CoreSettings = { minPollIntervalMs: 100, maxPollIntervalMs: 1_000, defaultTaskTtlMs: 60_000, requestTimeoutMs: 10_000 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Everything {
  readonly url: string;
  readonly process: ChildProcess;
  /** What it printed on stdout (it logs session creation and termination there). */
  stdout(): string;
  stop(): Promise<void>;
}

/** `node dist/index.js streamableHttp` with PORT set; ready once it prints "listening on port". */
function startEverything(port: number): Promise<Everything> {
  const child = spawn(process.execPath, [EVERYTHING_MAIN, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything did not start:\n${stderr}`)), 15_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      if (/listening on port/i.test(stderr)) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}/mcp`, process: child, stdout: () => stdout, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited (${code}):\n${stderr}`));
    });
  });
}

function httpConfig(id: string, url: string): HttpServerConfig {
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'http', url, headers: {} };
}

function registry(storage: MemoryStorage, lines: string[] = []): ServerRegistry {
  return new ServerRegistry({
    storage,
    log: { log: (level, serverId, message) => lines.push(`${level} [${serverId ?? '-'}] ${message}`) },
    elicit: async () => ({ action: 'decline' }),
    settings: () => SETTINGS,
  });
}

describe('reliability: HTTP sessions kept across connections', function () {
  this.timeout(60_000);
  const servers: Everything[] = [];
  const registries: ServerRegistry[] = [];
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((r) => r.dispose()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('a task started by one registry is followed to its result by the next one (same storage)', async () => {
    const port = await freePort();
    const everything = await startEverything(port);
    servers.push(everything);
    const storage = new MemoryStorage();

    const a = registry(storage);
    a.setConfigs([httpConfig('everything', everything.url)]);
    const serverA = a.get('everything')!;
    await waitConnected(serverA);
    const task = await serverA.callToolAsTask('simulate-research-query', { topic: 'sessions' });
    assert.equal(task.status, 'working');
    await a.dispose();

    const lines: string[] = [];
    const b = registry(storage, lines);
    registries.push(b);
    b.setConfigs([httpConfig('everything', everything.url)]);
    const serverB = b.get('everything')!;
    const state = await waitConnected(serverB);
    // What the server declared is known again, though a resumed session is not initialized anew.
    assert.equal(state.kind === 'connected' && state.serverName, 'mcp-servers/everything');
    assert.equal(state.kind === 'connected' && state.capabilities.generation, '2025-11-25');
    const done = await waitForStatus(serverB, task.taskId, 'completed', 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; task now ${JSON.stringify(serverB.store.get(task.taskId))}\n${lines.join('\n')}`);
    });
    assert.equal(done.status, 'completed');
    const outcome = await serverB.getTaskResult(task.taskId);
    assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
    assert.match(outcome.kind === 'result' ? String(outcome.result.content?.[0]?.text) : '', /# Research Report: sessions/);
    // The resumed session works for new work too.
    const second = await serverB.callToolAsTask('simulate-research-query', { topic: 'again' });
    assert.equal(second.status, 'working');
  });

  it('a server that forgot the session (restarted): a fresh session, and the old task shows expired', async () => {
    const port = await freePort();
    const first = await startEverything(port);
    servers.push(first);
    const storage = new MemoryStorage();

    const a = registry(storage);
    a.setConfigs([httpConfig('everything', first.url)]);
    const serverA = a.get('everything')!;
    await waitConnected(serverA);
    const task = await serverA.callToolAsTask('simulate-research-query', { topic: 'lost' });
    await a.dispose();
    assert.doesNotMatch(first.stdout(), /Received session termination request/, 'a session with a live task is not ended');
    const before = [...storage.data.entries()].filter(([k]) => k.startsWith('session:'));
    assert.equal(before.length, 1, `one session remembered: ${[...storage.data.keys()].join(', ')}`);

    await first.stop();
    const second = await startEverything(port);
    servers.push(second);

    const lines: string[] = [];
    const b = registry(storage, lines);
    registries.push(b);
    b.setConfigs([httpConfig('everything', second.url)]);
    const serverB = b.get('everything')!;
    await waitConnected(serverB);
    const expired = await waitForStatus(serverB, task.taskId, 'expired', 15_000);
    assert.equal(expired.status, 'expired');
    // Connected on a new session: new tasks run and complete.
    const fresh = await serverB.callToolAsTask('simulate-research-query', { topic: 'fresh' });
    await waitForStatus(serverB, fresh.taskId, 'completed', 15_000);
    const after = [...storage.data.entries()].filter(([k]) => k.startsWith('session:'));
    assert.equal(after.length, 1);
    assert.notEqual(after[0]![1], before[0]![1], 'the new session replaced the refused one in storage');
    assert.ok(lines.some((l) => /session/i.test(l) && /new/i.test(l)), `the log says a new session was started:\n${lines.join('\n')}`);
  });

  it('a session without live tasks is ended (DELETE) on dispose and forgotten', async () => {
    const port = await freePort();
    const everything = await startEverything(port);
    servers.push(everything);
    const storage = new MemoryStorage();
    const a = registry(storage);
    a.setConfigs([httpConfig('everything', everything.url)]);
    await waitConnected(a.get('everything')!);
    await waitFor('the session to be remembered', () => storage.get('session:everything') !== undefined);
    await a.dispose();
    assert.equal(storage.get('session:everything'), undefined, 'no session kept for a server with no tasks');
    await waitFor('the server to log the termination', () => /Received session termination request/.test(everything.stdout()), 3_000);
  });
});
