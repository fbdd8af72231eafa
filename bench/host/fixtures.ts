/**
 * Node side of the host benches (run by bench/run-host.mjs before the workbench opens): the fixture servers
 * the extension connects to, and the folders it opens. Compiled to out/bench/host/fixtures.js.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO_SERVER_2026_MAIN, startHttpDemoServer2026 } from '../../test/fixtures/demo-server-2026/spawn';
import { DEMO_SERVER_MAIN, makeTasks, rawHttp, startHttpDemoServer, type HttpDemoServer } from '../lib/harness';

export interface ViewServers {
  readonly urls: string[];
  stop(): Promise<void>;
}

/**
 * `count` HTTP fixture servers, each holding `tasksPerServer` working tasks that do not change by themselves;
 * `args` for the fixture (e.g. `--page-size`).
 */
export async function startViewServers(count: number, tasksPerServer: number, args: string[] = []): Promise<ViewServers> {
  const servers: HttpDemoServer[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startHttpDemoServer(args));
    await Promise.all(
      servers.map(async (s) => {
        const raw = await rawHttp('seed', s.url);
        // One step of an hour: the tasks stay `working` with nothing to report until the bench changes them.
        await makeTasks(raw, tasksPerServer, 3_600_000, 1);
        await raw.close();
      }),
    );
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  return { urls: servers.map((s) => s.url), stop: async () => void (await Promise.all(servers.map((s) => s.stop()))) };
}

/**
 * `count` HTTP servers of the 2026-07-28 fixture, holding nothing yet: that generation has no tasks/list, so
 * a client knows only the tasks it started (or remembers starting), and the host bench starts them itself
 * (index.ts, `generation: '2026'`). Tasks are kept for `ttlMs` (the fixture's default, 5 min, would expire
 * them in the middle of a long window). Started one at a time: ten fixture processes loading at once on a
 * busy 2-core machine miss their start timeout.
 */
export async function startView2026Servers(count: number, ttlMs = 2 * 3_600_000): Promise<ViewServers> {
  const servers: Awaited<ReturnType<typeof startHttpDemoServer2026>>[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startHttpDemoServer2026(['--ttl', String(ttlMs)], 60_000));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  return { urls: servers.map((s) => s.url), stop: async () => void (await Promise.all(servers.map((s) => s.stop()))) };
}

/** A throw-away folder with a .vscode/mcp.json of these servers and the host bench's control file. */
export function makeFolder(name: string, servers: Record<string, unknown>, control: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mcp-tasks-bench-${name}-`));
  fs.mkdirSync(path.join(dir, '.vscode'));
  fs.writeFileSync(path.join(dir, '.vscode', 'mcp.json'), JSON.stringify({ servers }, null, 2));
  fs.writeFileSync(path.join(dir, 'bench-control.json'), JSON.stringify(control, null, 2));
  return dir;
}

export function setControl(dir: string, control: Record<string, unknown>): void {
  fs.writeFileSync(path.join(dir, 'bench-control.json'), JSON.stringify(control, null, 2));
}

/** Three stdio fixture servers, as a user would configure them. */
export function stdioServers(n: number): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`fixture-${i + 1}`, { type: 'stdio', command: process.execPath, args: [DEMO_SERVER_MAIN] }]));
}

export function httpServers(urls: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(urls.map((url, i) => [`bench-${String(i + 1).padStart(2, '0')}`, { type: 'http', url }]));
}

/** Three stdio servers of the 2026-07-28 fixture (test/fixtures/demo-server-2026), generation not pinned. */
export function stdio2026Servers(n: number): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`fixture-2026-${i + 1}`, { type: 'stdio', command: process.execPath, args: [DEMO_SERVER_2026_MAIN] }]));
}
