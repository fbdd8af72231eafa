/**
 * One configured server as the hosts see it (`TaskServerApi`): its connection, the protocol generation
 * it speaks, its task store, the poller, the results cache and the ids this client created. Every
 * background path ends in the store (a status, `lastError`) or the log, never in an unhandled rejection.
 */
import type { ConnectionState, TaskPage, TaskServerApi } from '../api';
import type { ServerConfig } from '../config/ServerConfig';
import { ServerConnection, type ConnectionStatus, type ElicitationAnswer, type ElicitationRequest } from '../connection/ServerConnection';
import type { CoreSettings, ElicitationHandler, KeyValueStorage, LogLevel, LogSink } from '../ports';
import { createTaskProtocol, type InventoryMode } from '../protocol/createTaskProtocol';
import { listAllTools } from '../protocol/listTools';
import { codeOf, ERROR_INVALID_PARAMS } from '../protocol/requestErrors';
import { assertCanCallToolsAsTasks, assertToolRunsAsTask } from '../protocol/taskGating';
import type { TaskProtocol, TaskSnapshot } from '../protocol/TaskProtocol';
import { KnownTaskIds } from '../tasks/KnownTaskIds';
import type { TaskAttribution } from '../tasks/mergeTask';
import { PollScheduler, pollIntervalFor } from '../tasks/PollScheduler';
import { PushTrust } from '../tasks/PushTrust';
import { StatusPushes } from '../tasks/StatusPushes';
import { DEFAULT_MAX_LISTED_TASKS, TaskInventory } from '../tasks/TaskInventory';
import { isTerminal, type TaskOutcome, type ToolInfo, type TrackedTask } from '../tasks/TaskModel';
import { TaskResults } from '../tasks/TaskResults';
import { TaskStore } from '../tasks/TaskStore';
import type { BackoffOptions } from '../util/Backoff';
import { Emitter, type Disposable, type Event } from '../util/Emitter';
import { errorMessage, TaskRequestError } from '../util/errors';
import { oneLine } from '../util/logText';
import { unrefTimeout, type TimerHandle } from '../util/timers';
import { ToolCatalog } from './ToolCatalog';

const MAX_LOG_LINE = 2_000;

export interface TaskServerDeps {
  readonly storage: KeyValueStorage;
  readonly log: LogSink;
  readonly elicit: ElicitationHandler;
  readonly settings: () => CoreSettings;
  /** 'known-ids' ignores a server's `tasks/list` (inventory from the ids this client created). */
  readonly inventory?: InventoryMode;
  /** How many tasks one sweep lists before leaving the rest to `loadMore()`. */
  readonly maxListedTasks?: number;
  readonly reconnect?: BackoffOptions;
}

export class TaskServer implements TaskServerApi {
  readonly id: string;
  readonly store: TaskStore;
  private stateValue: ConnectionState = { kind: 'disconnected' };
  private readonly stateEmitter = new Emitter<ConnectionState>();
  readonly onDidChangeState: Event<ConnectionState> = this.stateEmitter.event;

  private readonly connection: ServerConnection;
  private readonly known: KnownTaskIds;
  private readonly scheduler: PollScheduler;
  private readonly inventory: TaskInventory;
  private readonly results: TaskResults;
  private readonly pushes: StatusPushes;
  private readonly pushTrust = new PushTrust();
  private protocol?: TaskProtocol;
  private protocolSubscription?: Disposable;
  private tools?: ToolCatalog;
  private sweepTimer?: TimerHandle;
  private paused = false;
  private disposed = false;

  constructor(
    config: ServerConfig,
    private readonly deps: TaskServerDeps,
  ) {
    this.id = config.id;
    this.store = new TaskStore(config.id);
    this.known = new KnownTaskIds(deps.storage, config.id, (message) => this.log('warn', message));
    this.scheduler = new PollScheduler({
      settings: deps.settings,
      poll: (ids) => this.inventory.poll(ids),
      onError: (message) => this.log('warn', message),
    });
    this.inventory = new TaskInventory({
      protocol: () => this.protocol,
      store: this.store,
      known: this.known,
      apply: (snapshot) => this.apply(snapshot),
      expire: (taskId) => this.expire(taskId),
      failed: (taskId, message) => this.recordFailure(taskId, message),
      maxListed: deps.maxListedTasks ?? DEFAULT_MAX_LISTED_TASKS,
      warn: (message) => this.log('warn', message),
      followed: () => this.scheduler.trackedIds,
      follow: (taskIds) => this.scheduler.pollSoon(taskIds),
    });
    this.results = new TaskResults({
      protocol: () => this.protocol,
      task: (taskId) => this.store.get(taskId),
      refreshStatus: (taskId) => this.inventory.refresh(taskId).catch(() => undefined),
      onUnknownTask: (taskId) => void this.expire(taskId),
      onResult: (taskId) => this.protocol && this.scheduler.pollSoon([taskId]),
    });
    this.pushes = new StatusPushes({
      isHeld: (taskId) => this.store.get(taskId) !== undefined,
      apply: (snapshot) => {
        this.pushTrust.pushed(snapshot.taskId, snapshot.lastUpdatedAt);
        this.apply(snapshot);
      },
      confirm: (taskId) => this.confirmPushedTask(taskId),
    });
    this.connection = new ServerConnection(config, {
      log: deps.log,
      settings: deps.settings,
      onElicitation: (request) => this.answerElicitation(request),
      ...(deps.reconnect ? { backoff: deps.reconnect } : {}),
    });
    this.connection.onDidChangeStatus((status) => this.onConnectionStatus(status));
    this.showRememberedTasks();
  }

  get config(): ServerConfig {
    return this.connection.config;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get hasMore(): boolean {
    return this.inventory.hasMore;
  }

  /** The stdio server's process id while connected (diagnostics and tests). */
  get processId(): number | undefined {
    return this.connection.pid;
  }

  /** When the task is next polled, if it is polled at all (diagnostics and tests). */
  nextPollAt(taskId: string): number | undefined {
    return this.scheduler.nextPollAt(taskId);
  }

  start(): void {
    this.connection.start();
  }

  async loadMore(): Promise<void> {
    await this.inventory.loadMore();
  }

  listTools(): Promise<ToolInfo[]> {
    return this.tools ? this.tools.all() : Promise.reject(this.notConnected());
  }

  getTaskStatus(taskId: string): Promise<TrackedTask> {
    return this.inventory.refresh(taskId);
  }

  getTaskResult(taskId: string): Promise<TaskOutcome> {
    return this.results.get(taskId);
  }

  cachedOutcome(taskId: string): TaskOutcome | undefined {
    return this.results.cached(taskId);
  }

  listTasks(cursor?: string, limit?: number): Promise<TaskPage> {
    return this.inventory.page(cursor, limit);
  }

  refresh(): Promise<void> {
    return this.inventory.sweep();
  }

  async cancelTask(taskId: string): Promise<TrackedTask> {
    const protocol = this.requireProtocol();
    try {
      return this.apply(await protocol.cancelTask(taskId));
    } catch (err) {
      if (codeOf(err) !== ERROR_INVALID_PARAMS) {
        this.store.setLastError(taskId, `cancel failed: ${errorMessage(err)}`);
        throw err;
      }
      // -32602: the server does not know the task, or it has already ended. Find out which and show it.
      const now = await this.inventory.refresh(taskId).catch(() => undefined);
      const why = now?.status === 'expired' ? 'the server no longer knows it' : now ? `it is already ${now.status}` : errorMessage(err);
      throw new TaskRequestError(`task ${taskId} cannot be cancelled: ${why}`, ERROR_INVALID_PARAMS);
    }
  }

  async callToolAsTask(tool: string, args: Record<string, unknown>, ttlMs?: number): Promise<TrackedTask> {
    const protocol = this.requireProtocol();
    assertCanCallToolsAsTasks(protocol.capabilities);
    assertToolRunsAsTask(tool, await this.tools?.find(tool));
    const ttl = ttlMs ?? this.deps.settings().defaultTaskTtlMs;
    const created = await protocol.callToolAsTask(tool, args, ttl);
    this.known.add({
      taskId: created.task.taskId,
      toolName: tool,
      createdAt: Date.now(),
      ttl: created.task.ttl !== undefined ? created.task.ttl : ttl,
    });
    if (created.immediateResponse !== undefined) {
      this.log('debug', `task ${created.task.taskId}: ${created.immediateResponse}`);
    }
    const task = this.apply(created.task, { startedByUs: true, toolName: tool });
    // The reply is the state at creation; a first look soon after picks up the first progress (as the
    // SDK's own callToolStream does) instead of waiting a whole server interval.
    this.scheduler.pollWithin(task.taskId, this.deps.settings().minPollIntervalMs);
    return task;
  }

  async restart(): Promise<void> {
    await this.connection.restart();
  }

  /** A changed configuration for the same id: reconnect with it, keeping the tasks. */
  updateConfig(config: ServerConfig): void {
    this.connection.restart(config).catch((err: unknown) => this.log('error', `restart failed: ${errorMessage(err)}`));
  }

  setPollingPaused(paused: boolean): void {
    if (this.paused === paused) {
      return;
    }
    this.paused = paused;
    this.scheduler.setPaused(paused);
    if (paused) {
      this.clearSweepTimer();
    } else {
      this.armSweep();
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.clearSweepTimer();
    this.scheduler.dispose();
    this.results.dispose();
    this.teardownProtocol();
    await this.connection.dispose();
    this.store.dispose();
    this.stateEmitter.dispose();
    await this.known.flushed();
  }

  /** Every report about a task goes through here: store it, then poll, stop polling, or fetch input. */
  private apply(snapshot: TaskSnapshot, attribution: TaskAttribution = this.attributionOf(snapshot.taskId)): TrackedTask {
    if (this.pushTrust.polled(snapshot.taskId, snapshot.lastUpdatedAt)) {
      this.log('info', 'the server does not push every status change; polling its tasks at the normal rate');
      for (const id of this.scheduler.trackedIds) this.scheduler.pollWithin(id, pollIntervalFor(this.deps.settings(), this.store.get(id)?.pollInterval));
    }
    const task = this.store.apply(snapshot, attribution);
    if (snapshot.outcome) {
      this.results.seed(task.taskId, snapshot.outcome);
    }
    this.afterUpdate(task);
    return task;
  }

  private afterUpdate(task: TrackedTask): void {
    if (this.disposed) {
      return;
    }
    if (isTerminal(task.status)) {
      this.scheduler.untrack(task.taskId);
      this.pushTrust.forget(task.taskId);
      this.known.settle(task.taskId, task.status === 'expired');
      return;
    }
    this.scheduler.track(task.taskId, task.pollInterval, this.pushTrust.isPushFed(task.taskId));
    if (task.status === 'input_required') {
      // The server delivers its elicitation on the stream of a tasks/result call (2025-11-25).
      this.results.prefetch(task.taskId);
    }
  }

  private expire(taskId: string): TrackedTask {
    const task = this.store.markExpired(taskId, this.attributionOf(taskId));
    this.afterUpdate(task);
    return task;
  }

  private recordFailure(taskId: string, message: string): void {
    this.log('debug', `task ${taskId}: ${message}`);
    this.store.setLastError(taskId, message);
    const held = this.store.get(taskId);
    if (!this.disposed && (!held || !isTerminal(held.status))) {
      this.scheduler.failed(taskId);
    }
  }

  private attributionOf(taskId: string): TaskAttribution {
    const known = this.known.get(taskId);
    return known ? { startedByUs: true, ...(known.toolName !== undefined ? { toolName: known.toolName } : {}) } : {};
  }

  /** A pushed status about a task we have not seen yet: shown only once the server confirms it. */
  private async confirmPushedTask(taskId: string): Promise<void> {
    const protocol = this.protocol;
    if (!protocol) {
      return;
    }
    try {
      this.apply(await protocol.getTask(taskId));
    } catch (err) {
      if (this.protocol === protocol) {
        this.log('debug', `ignored a status push about task ${taskId}: ${errorMessage(err)}`);
      }
    }
  }

  private async answerElicitation(request: ElicitationRequest): Promise<ElicitationAnswer> {
    const { taskId, message, requestedSchema } = request;
    if (taskId !== undefined) {
      this.store.setInputRequest(taskId, { message, requestedSchema, receivedAt: Date.now() });
    }
    try {
      return await this.deps.elicit({ serverId: this.id, ...(taskId !== undefined ? { taskId } : {}), message, requestedSchema });
    } finally {
      if (taskId !== undefined) {
        this.store.setInputRequest(taskId, undefined);
      }
    }
  }

  private onConnectionStatus(status: ConnectionStatus): void {
    if (this.disposed && status.kind !== 'disconnected') {
      return;
    }
    this.teardownProtocol();
    if (status.kind !== 'connected') {
      this.setState(status);
      return;
    }
    const protocol = createTaskProtocol({
      client: status.client,
      requestOptions: () => this.connection.requestOptions(),
      log: (level, message) => this.log(level, message),
      inventory: this.deps.inventory ?? 'auto',
      redact: this.connection.redact,
    });
    this.protocol = protocol;
    const client = status.client;
    this.tools = new ToolCatalog(() => listAllTools(client, () => this.connection.requestOptions(), this.connection.redact));
    this.protocolSubscription = protocol.onTaskStatus((task) => this.pushes.receive(task));
    this.setState({
      kind: 'connected',
      transport: status.transport,
      capabilities: protocol.capabilities,
      ...(status.serverName !== undefined ? { serverName: status.serverName } : {}),
      ...(status.serverVersion !== undefined ? { serverVersion: status.serverVersion } : {}),
    });
    if (protocol.capabilities.generation !== 'none') {
      void this.sweepAfterConnect(protocol);
    }
  }

  /** Everything known is asked about again: the server may have restarted and forgotten it all. */
  private async sweepAfterConnect(protocol: TaskProtocol): Promise<void> {
    try {
      await this.inventory.sweep();
    } catch (err) {
      if (this.protocol === protocol) {
        this.log('warn', `task inventory failed: ${errorMessage(err)}`);
      }
    }
    this.pruneKnown();
    if (this.protocol === protocol) {
      this.armSweep();
    }
  }

  /** Servers that list are swept now and then to find tasks started elsewhere. */
  private armSweep(): void {
    this.clearSweepTimer();
    if (this.paused || this.disposed || !this.protocol?.capabilities.list) {
      return;
    }
    this.sweepTimer = unrefTimeout(() => {
      this.sweepTimer = undefined;
      this.inventory
        .sweep()
        .catch((err: unknown) => this.log('warn', `task inventory failed: ${errorMessage(err)}`))
        .finally(() => {
          this.pruneKnown();
          this.armSweep();
        });
    }, this.deps.settings().maxPollIntervalMs);
  }

  private clearSweepTimer(): void {
    if (this.sweepTimer) {
      clearTimeout(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }

  private pruneKnown(): void {
    this.known.prune(Date.now(), (taskId) => {
      const task = this.store.get(taskId);
      return task !== undefined && !isTerminal(task.status);
    });
  }

  /**
   * Tasks remembered from earlier sessions are shown at once, before the server answers: as expired when
   * we learnt so, else as `unknown` (not confirmed yet, `fetchedAt` 0) until the first answer.
   */
  private showRememberedTasks(): void {
    this.known.prune();
    for (const entry of this.known.all()) {
      const attribution = this.attributionOf(entry.taskId);
      const remembered = { createdAt: new Date(entry.createdAt).toISOString(), ...(entry.ttl !== undefined ? { ttl: entry.ttl } : {}) };
      if (entry.expired) {
        this.store.markExpired(entry.taskId, attribution, undefined, remembered);
      } else {
        this.store.ensure(entry.taskId, attribution, remembered);
      }
    }
  }

  private teardownProtocol(): void {
    this.protocolSubscription?.dispose();
    this.protocolSubscription = undefined;
    this.protocol?.dispose();
    this.protocol = undefined;
    this.tools = undefined;
    this.scheduler.clear();
    this.pushTrust.reset();
    this.clearSweepTimer();
  }

  private requireProtocol(): TaskProtocol {
    if (!this.protocol) {
      throw this.notConnected();
    }
    return this.protocol;
  }

  private notConnected(): TaskRequestError {
    const s = this.stateValue;
    const detail = s.kind === 'failed' ? `: ${s.reason}` : s.kind === 'connecting' ? ' (connecting)' : '';
    return new TaskRequestError(`server "${this.config.name}" is not connected${detail}`);
  }

  private setState(state: ConnectionState): void {
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }

  private log(level: LogLevel, message: string): void {
    this.deps.log.log(level, this.id, this.connection.redact(oneLine(message, MAX_LOG_LINE)));
  }
}
