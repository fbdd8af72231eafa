import * as path from 'node:path';
import type { HttpServerConfig, StdioServerConfig } from '../../../../src/core/config/ServerConfig';
import type { CoreSettings } from '../../../../src/core/model/ports';
import { demoServerStdioCommand } from '../../../fixtures/demo-server/spawn';

/** Short intervals keep the suite quick; the server's own pollInterval (1 s by default) still applies. */
export function testSettings(overrides: Partial<CoreSettings> = {}): CoreSettings {
  return { minPollIntervalMs: 50, maxPollIntervalMs: 2_000, defaultTaskTtlMs: 60_000, requestTimeoutMs: 10_000, ...overrides };
}

export function demoStdioConfig(id: string, args: string[] = [], env: Record<string, string> = {}): StdioServerConfig {
  const { command, args: argv } = demoServerStdioCommand(args);
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command, args: argv, env };
}

export function httpConfig(id: string, url: string, type: 'http' | 'sse' = 'http', headers: Record<string, string> = {}): HttpServerConfig {
  return { id, name: id, source: 'test', fromWorkspace: false, type, url, headers };
}

/** The published server-everything, over stdio. */
export function everythingConfig(id: string): StdioServerConfig {
  const main = path.join(require.resolve('@modelcontextprotocol/server-everything/package.json'), '..', 'dist', 'index.js');
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command: process.execPath, args: [main, 'stdio'], env: {} };
}

/** The small SDK server in ./quirkyServer (odd wire data, no tasks/list, no tasks/cancel). */
export function quirkyConfig(id: string): StdioServerConfig {
  const main = path.join(__dirname, '..', 'fixtures', 'quirkyServer.js');
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command: process.execPath, args: [main], env: {} };
}
