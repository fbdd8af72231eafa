/** Server configurations for the fixture servers, as a host's configuration would give them to the core. */
import * as path from 'node:path';
import type { HttpServerConfig, StdioServerConfig } from '../../src/core/config/ServerConfig';
import { demoServerStdioCommand } from '../fixtures/demo-server/spawn';
import { faultServerCommand } from '../fixtures/fault-server/spawn';

function stdioConfig(id: string, launch: { command: string; args: string[] }, extra: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return { id, name: id, source: 'test', fromWorkspace: false, type: 'stdio', command: launch.command, args: launch.args, env: {}, ...extra };
}

/** The demo server (test/fixtures/demo-server) over stdio. */
export function demoStdioConfig(id: string, args: string[] = [], env: Record<string, string> = {}): StdioServerConfig {
  return stdioConfig(id, demoServerStdioCommand(args), { env });
}

/** The fault server (test/fixtures/fault-server) over stdio; `args` choose its faults. */
export function faultStdioConfig(id: string, args: string[] = [], extra: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return stdioConfig(id, faultServerCommand(args), extra);
}

/** The published server-everything, over stdio. */
export function everythingConfig(id: string): StdioServerConfig {
  const main = path.join(require.resolve('@modelcontextprotocol/server-everything/package.json'), '..', 'dist', 'index.js');
  return stdioConfig(id, { command: process.execPath, args: [main, 'stdio'] });
}

/** The small SDK server in test/node/core/fixtures/quirkyServer (odd wire data, no tasks/list, no tasks/cancel). */
export function quirkyConfig(id: string): StdioServerConfig {
  const main = path.join(__dirname, '..', 'node', 'core', 'fixtures', 'quirkyServer.js');
  return stdioConfig(id, { command: process.execPath, args: [main] });
}

/** Any server over Streamable HTTP (or legacy SSE with `type: 'sse'`). */
export function httpConfig(id: string, url: string, headers: Record<string, string> = {}, type: 'http' | 'sse' = 'http'): HttpServerConfig {
  return { id, name: id, source: 'test', fromWorkspace: false, type, url, headers };
}
