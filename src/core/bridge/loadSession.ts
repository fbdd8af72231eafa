/**
 * Loads the bridge's session framing on first use: `BridgeSession` and `BridgeTransport` (~9 KB, no SDK
 * runtime since the session relays plain messages) are needed only once VS Code connects to an offered server.
 * As with `../connection/loadModern.ts`, tsc's CommonJS output (out/, mocha) keeps this `import()`, and in the
 * bundle esbuild.js turns it into a load of `dist/bridge-session.js` next to the entry point.
 */
import type * as BridgeSessionModule from './BridgeSession';

let loaded: Promise<typeof BridgeSessionModule> | undefined;

export function loadBridgeSession(): Promise<typeof BridgeSessionModule> {
  loaded ??= import('./BridgeSession.js');
  // A failed load (a missing dist/bridge-session.js) is retried on the next session rather than cached.
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
