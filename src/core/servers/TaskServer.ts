/**
 * One configured server as the hosts see it (`TaskServerApi`): the API front and the connection's
 * lifecycle. Each connection gets the protocol generation the server speaks; every report about a task
 * then travels through the tracker (`TaskTracker`), which the inventory, the pushes and the results
 * fetcher share. Every background path ends in the store (a status, `lastError`) or the log, never in an
 * unhandled rejection.
 */
import type { ServerConfig } from '../config/ServerConfig';
import { ServerConnection, type ConnectionStatus } from '../connection/ServerConnection';
import type { ConnectionState } from '../model/ConnectionState';
import type { CorePorts, LogLevel } from '../model/ports';
import type { TaskPage } from '../model/TaskChange';
import type { TaskOutcome, ToolInfo, TrackedTask } from '../model/TaskModel';
import { createTaskProtocol, type InventoryMode, type ProtocolChannel } from '../protocol/createTaskProtocol';
import { listAllTools } from '../protocol/listTools';
import { codeOf, ERROR_INVALID_PARAMS } from '../protocol/requestErrors';
import { assertCanCallToolsAsTasks, assertToolRunsAsTask } from '../protocol/taskGating';
import { ProtocolSlot } from '../tasks/ProtocolSlot';
import { StatusPushes } from '../tasks/StatusPushes';
import { SweepTimer } from '../tasks/SweepTimer';
import { DEFAULT_MAX_LISTED_TASKS, TaskInventory } from '../tasks/TaskInventory';
import { TaskInputs } from '../tasks/TaskInputs';
import { TaskResults } from '../tasks/TaskResults';
import type { TaskStore } from '../tasks/TaskStore';
import { TaskTracker } from '../tasks/TaskTracker';
import type { BackoffOptions } from '../util/Backoff';
import { Emitter, type Disposable, type Event } from '../util/Emitter';
import { errorMessage, TaskRequestError } from '../util/errors';
import { oneLine } from '../util/logText';
import { BridgeSeam } from './BridgeSeam';
import { ServerQuestions } from './elicitationRelay';
import type { TaskServerApi } from './TaskServerApi';
import { ToolCatalog } from './ToolCatalog';

const MAX_LOG_LINE = 2_000;

/** The host's ports, plus tuning that tests, the CLI and benchmarks set. */
export interface TaskServerOptions extends CorePorts {
  /** 'known-ids' ignores a server's `tasks/list` (inventory from the ids this client created). */
  readonly inventory?: InventoryMode;
  /** How many tasks one sweep lists before leaving the rest to `loadMore()`. */
  readonly maxListedTasks?: number;
  readonly reconnect?: BackoffOptions;
  /**
   * Other processes may be using the same stored HTTP sessions (CLI runs sharing one state file): a session
   * is then never ended on dispose, as that would cut off another run's requests in it.
   */
  readonly sharedSessions?: boolean;
}

export class TaskServer implements TaskServerApi {
  readonly id: string;
  private stateValue: ConnectionState = { kind: 'disconnected' };
  private readonly stateEmitter = new Emitter<ConnectionState>();
  readonly onDidChangeState: Event<ConnectionState> = this.stateEmitter.event;

  private readonly connection: ServerConnection;
  private readonly slot = new ProtocolSlot(() => this.notConnected());
  private readonly tracker: TaskTracker;
  private readonly inventory: TaskInventory;
  private readonly results: TaskResults;
  private readonly pushes: StatusPushes;
  private readonly sweeps: SweepTimer;
  private readonly inputs: TaskInputs;
  private protocolSubscription?: Disposable;
  private tools?: ToolCatalog;
  private seam?: BridgeSeam;
  private paused = false;
  private disposed = false;

  constructor(
    config: ServerConfig,
    private readonly options: TaskServerOptions,
  ) {
    this.id = config.id;
    this.tracker = new TaskTracker(config.id, options.storage, options.settings, (level, message) => this.log(level, message));
    this.inventory = new TaskInventory(this.tracker, this.slot, options.maxListedTasks ?? DEFAULT_MAX_LISTED_TASKS);
    this.tracker.pollWith((ids) => this.inventory.poll(ids));
    this.results = new TaskResults(this.tracker, this.slot, this.inventory);
    this.pushes = new StatusPushes(this.tracker, this.slot);
    this.sweeps = new SweepTimer(this.tracker, this.slot, this.inventory, options.settings);
    // 2026-07-28 questions come inside the task; they are asked where 2025's requests are (ours, and VS Code's
    // session for a task it started through the bridge).
    const questions = new ServerQuestions(config.id, this.tracker, options.elicit, (request) => this.seam?.relay?.(request));
    this.inputs = new TaskInputs(config.id, this.tracker, this.slot, (request) => questions.ask(request));
    this.connection = new ServerConnection(config, {
      log: options.log,
      settings: options.settings,
      onElicitation: (request) => questions.answer(request),
      onClientRequest: (request, signal) => this.bridgeSeam.answerClientRequest(request, signal),
      ...(options.reconnect ? { backoff: options.reconnect } : {}),
      // HTTP sessions are kept per server in the host's storage, and left open while tasks may live there.
      sessions: options.storage,
      generations: options.storage,
      keepSession: () => options.sharedSessions === true || this.store.list().some((t) => t.status !== 'expired'),
    });
    this.connection.onDidChangeStatus((status) => this.onConnectionStatus(status));
    this.tracker.showRemembered();
  }

  get store(): TaskStore {
    return this.tracker.store;
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
    return this.tracker.nextPollAt(taskId);
  }

  /** Connects (once; later calls do nothing). */
  start(): void {
    this.connection.start();
  }

  /** A task this client started here has not been seen to end (so its end is worth announcing). */
  get remembersLiveTasks(): boolean {
    return this.tracker.hasLiveRemembered();
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
    return this.tracker.outcome(taskId);
  }

  listTasks(cursor?: string, limit?: number): Promise<TaskPage> {
    return this.inventory.page(cursor, limit);
  }

  refresh(): Promise<void> {
    return this.inventory.sweep();
  }

  async cancelTask(taskId: string): Promise<TrackedTask> {
    const protocol = this.slot.require();
    try {
      return this.tracker.apply(await protocol.cancelTask(taskId));
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

  /** `startedBy` 'vscode': the bridge starts it for VS Code (a 2026-07-28 server, translated). */
  async callToolAsTask(tool: string, args: Record<string, unknown>, ttlMs?: number, startedBy?: 'vscode'): Promise<TrackedTask> {
    const protocol = this.slot.require();
    assertCanCallToolsAsTasks(protocol.capabilities);
    assertToolRunsAsTask(tool, await this.tools?.find(tool));
    const ttl = ttlMs ?? this.options.settings().defaultTaskTtlMs;
    return this.tracker.started(await protocol.callToolAsTask(tool, args, ttl), tool, args, ttl, startedBy);
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
    this.tracker.setPaused(paused);
    this.sweeps.setPaused(paused);
  }

  setShownTasks(taskIds: readonly string[] | undefined): void {
    this.tracker.setShown(taskIds);
  }

  holdTask(taskId: string): Disposable {
    return { dispose: this.tracker.hold(taskId) };
  }

  /** What src/core/bridge needs of this server (hosts never see the SDK). */
  get bridgeSeam(): BridgeSeam {
    return (this.seam ??= new BridgeSeam(this.connection, this.tracker, this.options.roots));
  }

  async dispose(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.sweeps.dispose();
    this.results.dispose();
    this.inputs.dispose();
    this.teardownProtocol();
    await this.connection.dispose();
    this.stateEmitter.dispose();
    await this.tracker.dispose();
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
    const channel: ProtocolChannel = status.modern ? { modern: status.modern } : { client: status.client };
    const protocol = createTaskProtocol({
      ...channel,
      requestOptions: () => this.connection.requestOptions(),
      log: (level, message) => this.log(level, message),
      inventory: this.options.inventory ?? 'auto',
      redact: this.connection.redact,
    });
    this.slot.set(protocol);
    this.tools = new ToolCatalog(() => listAllTools(channel, () => this.connection.requestOptions(), this.connection.redact));
    const statuses = protocol.onTaskStatus((task) => this.pushes.receive(task));
    const coverage = protocol.onPushCoverage?.((taskIds, covered) => this.pushes.coverage(taskIds, covered));
    this.protocolSubscription = { dispose: () => [statuses, coverage].forEach((d) => d?.dispose()) };
    this.setState({
      kind: 'connected',
      transport: status.transport,
      capabilities: protocol.capabilities,
      ...(status.serverName !== undefined ? { serverName: status.serverName } : {}),
      ...(status.serverVersion !== undefined ? { serverVersion: status.serverVersion } : {}),
    });
    if (protocol.capabilities.generation !== 'none') {
      void this.sweeps.sweepNow();
    }
  }

  private teardownProtocol(): void {
    this.protocolSubscription?.dispose();
    this.protocolSubscription = undefined;
    this.slot.current?.dispose();
    this.slot.set(undefined);
    this.tools = undefined;
    this.tracker.disconnected();
    this.sweeps.stop();
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
    this.options.log.log(level, this.id, this.connection.redact(oneLine(message, MAX_LOG_LINE)));
  }
}
