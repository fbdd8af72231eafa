/**
 * Opens a 2026-07-28 session, loading the modern stack on first use. `import('./modern/index.js')` stays a
 * dynamic import in tsc's CommonJS output (out/, mocha) and, in the bundle, esbuild.js turns it into a load
 * of `dist/modern.js` next to the entry point: extension and CLI users with only 2025 servers never load it.
 *
 * A stdio server is spawned here with the same process-group transport as 2025 servers, so its whole
 * process tree is stopped the same way; the modern stack only speaks over it.
 */
import type { ServerConfig } from '../config/ServerConfig';
import type { ModernSession, OpenModernSession } from './ModernSession';
import { createStdioTransport } from './stdioTransport';

export interface ModernConnectContext {
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly connectTimeoutMs: number;
  readonly onStderrLine: (line: string) => void;
  readonly log: (level: 'info' | 'warn', message: string) => void;
}

let loaded: Promise<OpenModernSession> | undefined;

function opener(): Promise<OpenModernSession> {
  loaded ??= import('./modern/index.js').then((m) => m.openModernSession);
  // A failed load (a missing dist/modern.js) is retried on the next connect rather than cached.
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

export async function openModern(config: ServerConfig, ctx: ModernConnectContext): Promise<ModernSession> {
  const open = await opener();
  const wire = config.type === 'stdio' ? createStdioTransport(config, ctx.onStderrLine) : undefined;
  return open(config, { clientInfo: ctx.clientInfo, connectTimeoutMs: ctx.connectTimeoutMs, log: ctx.log, ...(wire ? { wire } : {}) });
}
