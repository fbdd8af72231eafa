/**
 * The bridge as the hosts see it: VS Code's own MCP client reaches the offered servers through this
 * extension's connections, so the tasks it starts land in the same tracker as ours. The loopback endpoint
 * listens from the first `resolve()` (VS Code starting an offered server) until `dispose()`.
 */
import type { CoreSettings, LogSink } from '../model/ports';
import type { ServerRegistry } from '../servers/ServerRegistry';
import type { Disposable } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import { BridgeEndpoint } from './BridgeEndpoint';
import { BridgedServer } from './BridgedServer';

export interface McpBridgeOptions {
  readonly log: LogSink;
  /** `mcpTasks.bridge.cancelAbandoned`. */
  readonly cancelAbandoned: () => boolean;
  readonly settings: () => CoreSettings;
}

/** What VS Code is given for one offered server. */
export interface BridgeDefinition {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export class McpBridge {
  private readonly endpoint: BridgeEndpoint;
  private readonly bridged = new Map<string, BridgedServer>();
  private readonly subscription: Disposable;

  constructor(
    private readonly registry: ServerRegistry,
    private readonly options: McpBridgeOptions,
  ) {
    this.endpoint = new BridgeEndpoint((message) => options.log.log('warn', undefined, message));
    // A server removed from the configuration is no longer reachable through its path.
    this.subscription = registry.onDidChangeServers(() => {
      for (const [id, b] of this.bridged) if (registry.get(id) !== b.server) void this.drop(id);
    });
  }

  /** Where VS Code reaches a configured server (listening first); undefined for an unknown id. */
  async resolve(serverId: string): Promise<BridgeDefinition | undefined> {
    const server = this.registry.get(serverId);
    if (!server) return undefined;
    if (this.bridged.get(serverId)?.server !== server) {
      await this.drop(serverId);
      const log = (level: 'info' | 'warn', message: string) => this.options.log.log(level, serverId, `[bridge] ${server.bridgeSeam.redact(message)}`);
      const bridged = new BridgedServer(server, { cancelAbandoned: this.options.cancelAbandoned, log, connectTimeoutMs: () => this.options.settings().requestTimeoutMs });
      this.bridged.set(serverId, bridged);
      this.endpoint.setRoute(serverId, bridged);
    }
    return { url: await this.endpoint.urlOf(serverId), headers: { Authorization: this.endpoint.authorization } };
  }

  /**
   * The host's workspace roots changed: every 2025-11-25 server hears `notifications/roots/list_changed`
   * (our connections declare roots with listChanged). A VS Code session may send its own too: harmless.
   */
  rootsChanged(): void {
    for (const server of this.registry.servers()) void server.bridgeSeam.upstreamClient()?.sendRootsListChanged().catch(() => undefined);
  }

  /** The servers VS Code has reached so far, with their open sessions (for the "offered servers" command). */
  sessions(): ReadonlyMap<string, number> {
    return new Map([...this.bridged].map(([id, b]) => [id, b.sessionCount]));
  }

  async dispose(): Promise<void> {
    this.subscription.dispose();
    await Promise.all([...this.bridged.keys()].map((id) => this.drop(id)));
    await this.endpoint.close();
  }

  private async drop(serverId: string): Promise<void> {
    const b = this.bridged.get(serverId);
    if (!b) return;
    this.bridged.delete(serverId);
    this.endpoint.setRoute(serverId, undefined);
    await b.dispose().catch((err: unknown) => this.options.log.log('warn', serverId, `[bridge] closing: ${errorMessage(err)}`));
  }
}
