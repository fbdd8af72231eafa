/**
 * The two protocol generations the core speaks, as a table the suites loop over: each row names the fixture
 * server of that generation (test/fixtures/demo-server for 2025-11-25, test/fixtures/demo-server-2026 for
 * 2026-07-28: the same cast of tools), how to reach it over stdio and Streamable HTTP, and the facts a test
 * needs where the generations differ on purpose. A suite writes
 * `for (const gen of GENERATIONS) describe(`… (${gen.name})`, …)` and asserts `gen`'s behaviour where it differs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StdioServerConfig } from '../../src/core/config/ServerConfig';
import type { TaskCapabilities } from '../../src/core/model/ConnectionState';
import { DEMO_SERVER_MAIN, startHttpDemoServer } from '../fixtures/demo-server/spawn';
import { DEMO_SERVER_2026_MAIN, startHttpDemoServer2026 } from '../fixtures/demo-server-2026/spawn';
import type { RecordingLog } from './recordingLog';

export type GenerationName = '2025-11-25' | '2026-07-28';

/** A fixture server over Streamable HTTP, as either spawn helper returns it. */
export interface HttpFixture {
  readonly url: string;
  readonly process: import('node:child_process').ChildProcess;
  stop(): Promise<void>;
}

/** Requests a server received, by method: from the server itself (2026) or the core's trace lines (2025). */
export interface RequestCounter {
  /** Arguments to pass to the server so that it can be counted (none for 2025). */
  readonly args: string[];
  count(method: string): number;
}

export interface Generation {
  readonly name: GenerationName;
  /** The fixture's entry point (compiled, next to its spawn.ts). */
  readonly main: string;
  /** serverInfo.name of the fixture. */
  readonly serverName: string;
  /** What the core reports once connected. */
  readonly capabilities: TaskCapabilities;
  /** `tasks/list` exists: the inventory is the server's; otherwise only the ids this client knows. */
  readonly lists: boolean;
  /** Results come inline with `tasks/get` (2026) rather than from `tasks/result` (2025). */
  readonly inlineResults: boolean;
  /** Tools declare `execution.taskSupport` (2025); in 2026 every tool may come back as a task or not. */
  readonly declaresTaskSupport: boolean;
  /** Arguments that make tool-created tasks live `ms` (2026: a server flag; 2025: the client asks per call). */
  ttlArgs(ms: number): string[];
  stdioCommand(args?: string[]): { command: string; args: string[] };
  stdioConfig(id: string, args?: string[], extra?: Partial<StdioServerConfig>): StdioServerConfig;
  startHttp(args?: string[]): Promise<HttpFixture>;
  /** Counts the requests of server `serverId` in harness log `log`; pass `counter.args` to the server. */
  counter(log: RecordingLog, serverId: string): RequestCounter;
}

function stdio(id: string, launch: { command: string; args: string[] }, extra: Partial<StdioServerConfig>): StdioServerConfig {
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command: launch.command, args: launch.args, env: {}, ...extra };
}

const statsDirs: string[] = [];
process.once('exit', () => statsDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A `--stats-file` for a 2026 fixture and a reader of it. */
export function serverStats(): RequestCounter {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-stats-'));
  statsDirs.push(dir);
  const file = path.join(dir, 'stats.json');
  return {
    args: ['--stats-file', file],
    count(method) {
      try {
        return (JSON.parse(fs.readFileSync(file, 'utf8')) as { counts: Record<string, number> }).counts[method] ?? 0;
      } catch {
        return 0;
      }
    },
  };
}

export const GEN2025: Generation = {
  name: '2025-11-25',
  main: DEMO_SERVER_MAIN,
  serverName: 'mcp-tasks-demo',
  capabilities: { generation: '2025-11-25', list: true, cancel: true, toolCall: true },
  lists: true,
  inlineResults: false,
  declaresTaskSupport: true,
  ttlArgs: () => [],
  stdioCommand: (args = []) => ({ command: process.execPath, args: [DEMO_SERVER_MAIN, ...args] }),
  stdioConfig: (id, args = [], extra = {}) => stdio(id, GEN2025.stdioCommand(args), extra),
  startHttp: (args = []) => startHttpDemoServer(args),
  counter: (log, serverId) => ({ args: [], count: (method) => log.requests(serverId, method) }),
};

export const GEN2026: Generation = {
  name: '2026-07-28',
  main: DEMO_SERVER_2026_MAIN,
  serverName: 'mcp-tasks-demo-server-2026',
  capabilities: { generation: '2026-07-28', list: false, cancel: true, toolCall: true },
  lists: false,
  inlineResults: true,
  declaresTaskSupport: false,
  ttlArgs: (ms) => ['--ttl', String(ms)],
  stdioCommand: (args = []) => ({ command: process.execPath, args: [DEMO_SERVER_2026_MAIN, ...args] }),
  stdioConfig: (id, args = [], extra = {}) => stdio(id, GEN2026.stdioCommand(args), extra),
  startHttp: (args = []) => startHttpDemoServer2026(args),
  // The 2026 stack writes no per-request trace lines: the fixture counts what it received.
  counter: () => serverStats(),
};

export const GENERATIONS: readonly Generation[] = [GEN2025, GEN2026];
