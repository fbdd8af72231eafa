/**
 * All configured servers. `setConfigs` diffs the new configuration against the running one by id and by
 * content: new ids start, missing ids stop (their polls end cleanly), changed ones reconnect with the new
 * configuration and keep their tasks.
 */
import type { ServerRegistryApi } from './TaskServerApi';
import type { ServerConfig } from '../config/ServerConfig';
import type { TaskChange } from '../model/TaskChange';
import { Emitter, type Disposable, type Event } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import { stableStringify } from '../util/stableStringify';
import { TaskServer, type TaskServerOptions } from './TaskServer';

/** Every server of the registry gets the same dependencies. */
export type ServerRegistryOptions = TaskServerOptions;

interface Running {
  readonly server: TaskServer;
  /** The configuration it runs, as text: a different one restarts the server. */
  readonly fingerprint: string;
  /** Its events, forwarded into the registry's. */
  readonly listeners: readonly Disposable[];
}

export class ServerRegistry implements ServerRegistryApi {
  private readonly running = new Map<string, Running>();
  private readonly serversEmitter = new Emitter<void>();
  readonly onDidChangeServers: Event<void> = this.serversEmitter.event;
  private readonly tasksEmitter = new Emitter<TaskChange>();
  readonly onDidChangeTasks: Event<TaskChange> = this.tasksEmitter.event;
  private readonly stateEmitter = new Emitter<TaskServer>();
  readonly onDidChangeServerState: Event<TaskServer> = this.stateEmitter.event;
  private readonly stopping = new Set<Promise<void>>();
  private paused = false;
  private connectAll = true;
  private disposed = false;

  constructor(private readonly options: ServerRegistryOptions) {}

  servers(): TaskServer[] {
    return [...this.running.values()].map((r) => r.server);
  }

  get(serverId: string): TaskServer | undefined {
    return this.running.get(serverId)?.server;
  }

  setConfigs(configs: readonly ServerConfig[]): void {
    if (this.disposed) {
      return;
    }
    const wanted = new Map<string, ServerConfig>();
    for (const config of configs) {
      if (wanted.has(config.id)) {
        this.options.log.log('error', config.id, `two servers have the id "${config.id}"; the second one (${config.source}) is ignored`);
        continue;
      }
      wanted.set(config.id, config);
    }
    let changed = false;
    for (const [id, running] of [...this.running]) {
      if (!wanted.has(id)) {
        this.running.delete(id);
        this.stop(running);
        changed = true;
      }
    }
    // Rebuilt in configuration order, so servers() lists them as configured.
    const previous = new Map(this.running);
    this.running.clear();
    for (const [id, config] of wanted) {
      const fingerprint = stableStringify(config);
      const existing = previous.get(id);
      if (!existing) {
        this.running.set(id, this.startServer(config, fingerprint));
        changed = true;
      } else if (existing.fingerprint !== fingerprint) {
        existing.server.updateConfig(config);
        this.running.set(id, { ...existing, fingerprint });
        changed = true;
      } else {
        this.running.set(id, existing);
      }
    }
    if (changed) {
      this.serversEmitter.fire();
    }
  }

  /**
   * With `all` false, servers connect only when they remember a task of ours still running (the editor
   * at startup, before anyone looks: their end is announced); the others wait until this is set again.
   */
  setConnectAll(all: boolean): void {
    this.connectAll = all;
    if (all) {
      for (const { server } of this.running.values()) server.start();
    }
  }

  setPollingPaused(paused: boolean): void {
    this.paused = paused;
    for (const { server } of this.running.values()) {
      server.setPollingPaused(paused);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const running of this.running.values()) {
      this.stop(running);
    }
    this.running.clear();
    await Promise.all([...this.stopping]);
    this.serversEmitter.dispose();
    this.tasksEmitter.dispose();
    this.stateEmitter.dispose();
  }

  private startServer(config: ServerConfig, fingerprint: string): Running {
    const server = new TaskServer(config, this.options);
    const listeners = [server.store.onDidChange((change) => this.tasksEmitter.fire(change)), server.onDidChangeState(() => this.stateEmitter.fire(server))];
    server.setPollingPaused(this.paused);
    if (this.connectAll || server.remembersLiveTasks) {
      server.start();
    }
    return { server, fingerprint, listeners };
  }

  private stop({ server, listeners }: Running): void {
    listeners.forEach((l) => l.dispose());
    const stopped = server
      .dispose()
      .catch((err: unknown) => this.options.log.log('error', server.id, `stopping failed: ${errorMessage(err)}`))
      .finally(() => this.stopping.delete(stopped));
    this.stopping.add(stopped);
  }
}
