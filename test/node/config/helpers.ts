import * as assert from 'node:assert/strict';
import type { ConfigError, ServerConfig } from '../../../src/core/config';

export const USER = { source: '/home/me/.config/Code/User/mcp.json', fromWorkspace: false };
export const WORKSPACE = { source: '/ws/.vscode/mcp.json', fromWorkspace: true };

/** The one error whose message contains every fragment; fails listing all messages when there is not exactly one. */
export function errorMatching(errors: readonly ConfigError[], ...fragments: string[]): ConfigError {
  const found = errors.filter((e) => fragments.every((f) => e.message.includes(f)));
  assert.equal(found.length, 1, `expected one error containing ${JSON.stringify(fragments)}, got:\n${errors.map((e) => e.message).join('\n')}`);
  return found[0]!;
}

export function serverNamed(servers: readonly ServerConfig[], id: string): ServerConfig {
  const server = servers.find((s) => s.id === id);
  assert.ok(server, `no server with id '${id}' among ${JSON.stringify(servers.map((s) => s.id))}`);
  return server;
}
