/**
 * One ServerRegistry as a host builds it, with in-memory storage, a log that keeps its lines and an
 * elicitation handler the test controls: the core tests, the reliability suite and the benches all start
 * their servers through it. `dispose()` stops every server it started.
 */
import * as assert from 'node:assert/strict';
import type { ConnectionState } from '../../src/core';
import type { ServerConfig } from '../../src/core/config/ServerConfig';
import type { CoreSettings } from '../../src/core/model/ports';
import { ServerRegistry, type ServerRegistryOptions } from '../../src/core/servers/ServerRegistry';
import type { TaskServer } from '../../src/core/servers/TaskServer';
import { ScriptedElicitation } from './elicitation';
import { MemoryStorage } from './memoryStorage';
import { RecordingLog } from './recordingLog';
import { waitConnected, within } from './waiting';

/** Short intervals keep a suite quick; the server's own pollInterval (1 s by default) still applies. */
export function testSettings(overrides: Partial<CoreSettings> = {}): CoreSettings {
  return { minPollIntervalMs: 50, maxPollIntervalMs: 2_000, defaultTaskTtlMs: 60_000, requestTimeoutMs: 10_000, ...overrides };
}

/** Reconnects soon after a failure; `undefined` as the option means the registry's own backoff. */
export const TEST_RECONNECT = { initialMs: 100, maxMs: 1_000, jitter: 0.1 } as const;

export interface RegistryHarnessOptions extends Partial<Omit<ServerRegistryOptions, 'settings' | 'storage' | 'log'>> {
  /** Laid over `testSettings()`. */
  readonly settings?: Partial<CoreSettings>;
  readonly storage?: MemoryStorage;
  readonly log?: RecordingLog;
}

export class RegistryHarness {
  readonly registry: ServerRegistry;
  readonly storage: MemoryStorage;
  readonly log: RecordingLog;
  /** Answers elicitations unless the options give another handler. */
  readonly elicitation = new ScriptedElicitation();
  /** Read by the registry on every use: tests may change it while servers run. */
  settings: CoreSettings;
  /** Every state each server went through, in order. */
  readonly states = new Map<string, ConnectionState[]>();
  private configs: ServerConfig[] = [];

  constructor(options: RegistryHarnessOptions = {}) {
    const { settings, storage, log, ...registryOptions } = options;
    this.settings = testSettings(settings);
    this.storage = storage ?? new MemoryStorage();
    this.log = log ?? new RecordingLog({ echo: !!process.env.CORE_TEST_LOG });
    this.registry = new ServerRegistry({
      elicit: this.elicitation.handler,
      ...registryOptions,
      reconnect: 'reconnect' in options ? options.reconnect : TEST_RECONNECT,
      storage: this.storage,
      log: this.log,
      settings: () => this.settings,
    });
    this.registry.onDidChangeServers(() => this.watchStates());
  }

  /** Configures exactly these servers (replacing any others); does not wait for them. */
  start(...configs: ServerConfig[]): TaskServer[] {
    this.configs = [...configs];
    this.registry.setConfigs(this.configs);
    return configs.map((c) => this.server(c.id));
  }

  /** Adds the config (keeping the others) and waits until the server is connected. */
  async connect(config: ServerConfig, timeoutMs?: number): Promise<TaskServer> {
    this.configs.push(config);
    this.registry.setConfigs([...this.configs]);
    const server = this.server(config.id);
    await waitConnected(server, timeoutMs);
    return server;
  }

  server(id: string): TaskServer {
    const server = this.registry.get(id);
    assert.ok(server, `no server ${id}`);
    return server;
  }

  async dispose(): Promise<void> {
    this.elicitation.cancelAll();
    await within(10_000, 'registry.dispose()', this.registry.dispose());
  }

  private watchStates(): void {
    for (const server of this.registry.servers()) {
      if (this.states.has(server.id)) continue;
      const seen: ConnectionState[] = [server.state];
      this.states.set(server.id, seen);
      server.onDidChangeState((s) => seen.push(s));
    }
  }
}
