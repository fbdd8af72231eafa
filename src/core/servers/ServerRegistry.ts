/**
 * All configured servers. `setConfigs` diffs the new configuration against the running one by id and by
 * content: new ids start, missing ids stop (their polls end cleanly), changed ones reconnect with the new
 * configuration and keep their tasks. Polling resumes server after server (see `setPollingPaused`).
 */
import type { ServerRegistryApi } from './TaskServerApi';
import type { ServerConfig } from '../config/ServerConfig';
import type { TaskChange } from '../model/TaskChange';
import { Emitter, type Disposable, type Event } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import { stableStringify } from '../util/stableStringify';
import { unrefTimeout, type TimerHandle } from '../util/timers';
import { TaskServer, type TaskServerOptions } from './TaskServer';

/** Resuming, the first server polls this long after (the view draws from what is held meanwhile)… */
export const RESUME_FIRST_MS = 150;
/** …and the others one after another over this much (about one poll interval): fresh within about a second. */
export const RESUME_SPREAD_MS = 1_000;

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
  private resumeTimer?: TimerHandle;
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

  /**
   * Paused: no server polls. Resumed: each server polls everything it holds, but not all at once — ten
   * servers listing thousands of tasks in the same moment kept the editor from drawing the view being
   * opened (rows after 1.1 s instead of 60 ms at 10,000 tasks). The first resumes after RESUME_FIRST_MS, the
   * others one after another over RESUME_SPREAD_MS. Servers added meanwhile poll at once.
   */
  setPollingPaused(paused: boolean): void {
    if (paused === this.paused) return; // resumed (or resuming) already: the servers' turns stay as they are
    this.paused = paused;
    this.cancelResume();
    if (paused) {
      for (const { server } of this.running.values()) server.setPollingPaused(true);
      return;
    }
    const queue = [...this.running.values()].map((r) => r.server);
    const step = RESUME_SPREAD_MS / Math.max(1, queue.length);
    const next = (delay: number) => {
      this.resumeTimer = unrefTimeout(() => {
        this.resumeTimer = undefined;
        const server = queue.shift();
        if (!server) return;
        if (this.running.get(server.id)?.server === server) server.setPollingPaused(false);
        if (queue.length) next(step);
      }, delay);
    };
    next(RESUME_FIRST_MS);
  }

  async dispose(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.cancelResume();
    for (const running of this.running.values()) {
      this.stop(running);
    }
    this.running.clear();
    await Promise.all([...this.stopping]);
    this.serversEmitter.dispose();
    this.tasksEmitter.dispose();
    this.stateEmitter.dispose();
  }

  private cancelResume(): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
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
