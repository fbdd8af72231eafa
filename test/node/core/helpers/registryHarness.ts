import type { ServerConfig } from '../../../../src/core/config/ServerConfig';
import type { CoreSettings } from '../../../../src/core/model/ports';
import { ServerRegistry, type ServerRegistryOptions } from '../../../../src/core/servers/ServerRegistry';
import type { TaskServer } from '../../../../src/core/servers/TaskServer';
import { ScriptedElicitation } from './elicitation';
import { testSettings } from './fixtures';
import { MemoryStorage } from '../../../support/memoryStorage';
import { RecordingLog } from './recordingLog';
import { waitConnected } from '../../../support/waiting';

export interface Harness {
  readonly registry: ServerRegistry;
  readonly storage: MemoryStorage;
  readonly log: RecordingLog;
  readonly elicitation: ScriptedElicitation;
  settings: CoreSettings;
  /** Adds the config (keeping the others) and waits until the server is connected. */
  connect(config: ServerConfig): Promise<TaskServer>;
  dispose(): Promise<void>;
}

export function createHarness(options: Partial<Omit<ServerRegistryOptions, 'settings'>> & { settings?: Partial<CoreSettings> } = {}): Harness {
  const storage = (options.storage as MemoryStorage | undefined) ?? new MemoryStorage();
  const log = (options.log as RecordingLog | undefined) ?? new RecordingLog();
  const elicitation = new ScriptedElicitation();
  const configs: ServerConfig[] = [];
  const harness: Harness = {
    storage,
    log,
    elicitation,
    settings: testSettings(options.settings),
    registry: new ServerRegistry({
      ...options,
      storage,
      log,
      elicit: options.elicit ?? elicitation.handler,
      settings: () => harness.settings,
      reconnect: options.reconnect ?? { initialMs: 100, maxMs: 1_000, jitter: 0.1 },
    }),
    async connect(config) {
      configs.push(config);
      harness.registry.setConfigs([...configs]);
      const server = harness.registry.get(config.id)!;
      await waitConnected(server);
      return server;
    },
    async dispose() {
      elicitation.cancelAll();
      await harness.registry.dispose();
    },
  };
  return harness;
}
