/**
 * One configured server's live connection: an SDK Client over the configured transport, a small state
 * machine (connecting → connected | failed), and reconnects with capped exponential backoff whenever the
 * connection drops or cannot be made. Knows nothing about tasks beyond answering elicitation requests.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { acceptAllValidator } from './acceptAllValidator';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ElicitRequestSchema, RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig, TransportKind } from '../config/ServerConfig';
import type { CoreSettings, ElicitationHandler, KeyValueStorage, LogLevel, LogSink } from '../model/ports';
import { Backoff, DEFAULT_RECONNECT_BACKOFF, type BackoffOptions } from '../util/Backoff';
import { Emitter, type Event } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import { oneLine } from '../util/logText';
import { makeRedactor, type Redactor } from '../util/redact';
import { delay, unrefTimeout, type TimerHandle } from '../util/timers';
import { secretsOf } from './configSecrets';
import { GenerationMemory, isModernOnlyRefusal } from './generation';
import { HttpSessionStore } from './httpSessions';
import { openModern } from './loadModern';
import type { ModernSession } from './ModernSession';
import { openClient, type OpenedClient } from './openClient';
import { StderrThrottle } from './StderrThrottle';

export const CLIENT_INFO = { name: 'mcp-tasks', version: '0.1.0' } as const;

/** A connection that stayed up this long was healthy: the next drop starts the backoff from the bottom. */
const STABLE_CONNECTION_MS = 30_000;
const MAX_LOG_LINE = 2_000;
/** How long to wait for a dying process's stderr after its stdout closed. */
const STDERR_GRACE_MS = 30;

export type ConnectionStatus =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | ({
      readonly kind: 'connected';
      readonly transport: TransportKind;
      readonly serverName?: string;
      readonly serverVersion?: string;
      // An SDK 1.x Client after `initialize` (2025-11-25 and older), or a 2026-07-28 session.
    } & ({ readonly client: Client; readonly modern?: undefined } | { readonly modern: ModernSession; readonly client?: undefined }))
  | { readonly kind: 'failed'; readonly reason: string; readonly retryAt?: number }
  | { readonly kind: 'disconnected'; readonly reason?: string };

export interface ElicitationRequest {
  readonly taskId?: string;
  readonly message: string;
  readonly requestedSchema: unknown;
  /** Aborts when the server no longer waits (notifications/cancelled, or the connection closed). */
  readonly signal?: AbortSignal;
}
export type ElicitationAnswer = Awaited<ReturnType<ElicitationHandler>>;

export interface ConnectionDeps {
  readonly log: LogSink;
  readonly settings: () => CoreSettings;
  /** Answers `elicitation/create` (form mode). */
  readonly onElicitation: (request: ElicitationRequest) => Promise<ElicitationAnswer>;
  readonly backoff?: BackoffOptions;
  /**
   * Where Streamable HTTP session ids are kept between connections (`session:<serverId>`), so that tasks a
   * server keeps per session survive a CLI run or a window reload. Without it each connection starts one.
   */
  readonly sessions?: KeyValueStorage;
  /**
   * Whether the session may still be needed (tasks the server may know): then dispose leaves it open on the
   * server; otherwise dispose ends it (HTTP DELETE) and forgets it. Without it sessions are never ended.
   */
  readonly keepSession?: () => boolean;
  /** Where the detected protocol generation is remembered per server (`mcpTasks.generation/<id>`). */
  readonly generations?: KeyValueStorage;
}

export class ServerConnection {
  private current: ConnectionStatus = { kind: 'disconnected' };
  private readonly statusEmitter = new Emitter<ConnectionStatus>();
  readonly onDidChangeStatus: Event<ConnectionStatus> = this.statusEmitter.event;

  /** Bumped by restart and dispose: results of older attempts and closes of older clients are ignored. */
  private session = 0;
  private opened?: OpenedClient;
  private modern?: ModernSession;
  private connectedAt = 0;
  private retryTimer?: TimerHandle;
  private started = false;
  private disposed = false;
  private readonly backoff: Backoff;
  private readonly stderr = new StderrThrottle((line) => this.log('info', `[stderr] ${line}`));
  /**
   * The last stderr line of the current process. A stdio server that exits usually says why there
   * ("ModuleNotFoundError: …", "missing API_KEY"); the bare "Connection closed" the SDK reports does not, so
   * the failure reason quotes it (found by the reliability suite's exit-at-start and exit-mid-request cases).
   */
  private lastStderrLine?: string;
  private redactor: Redactor;
  private readonly generations: GenerationMemory;

  constructor(
    private configValue: ServerConfig,
    private readonly deps: ConnectionDeps,
  ) {
    this.backoff = new Backoff(deps.backoff ?? DEFAULT_RECONNECT_BACKOFF);
    this.redactor = makeRedactor(secretsOf(configValue));
    this.generations = new GenerationMemory(deps.generations);
  }

  /** Hides this server's configured secrets (env and header values) in text about it. */
  readonly redact: Redactor = (text) => this.redactor(text);

  get config(): ServerConfig {
    return this.configValue;
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  /** The stdio server's process id while connected. */
  get pid(): number | undefined {
    return this.opened?.pid ?? this.modern?.pid;
  }

  /** Options for every request: the timeout setting is read each time. */
  requestOptions(): RequestOptions {
    return { timeout: this.deps.settings().requestTimeoutMs };
  }

  start(): void {
    if (this.started || this.disposed) {
      return;
    }
    this.started = true;
    void this.connect(this.session);
  }

  /** Drops the connection (if any) and connects again at once, optionally with a new configuration. */
  async restart(config?: ServerConfig): Promise<void> {
    if (this.disposed) {
      return;
    }
    if (config) {
      this.configValue = config;
      this.redactor = makeRedactor(secretsOf(config));
    }
    this.started = true;
    const session = ++this.session;
    this.clearRetry();
    this.backoff.reset();
    await this.closeCurrent('restarting');
    if (session === this.session && !this.disposed) {
      await this.connect(session);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.session++;
    this.clearRetry();
    await this.closeCurrent('stopped', this.deps.keepSession !== undefined && !this.deps.keepSession());
    this.stderr.dispose();
    this.statusEmitter.dispose();
  }

  private async connect(session: number): Promise<void> {
    this.setStatus({ kind: 'connecting', attempt: this.backoff.attempts + 1 });
    this.lastStderrLine = undefined;
    if (this.generations.preferred(this.configValue) === '2026-07-28' && this.configValue.type !== 'sse') {
      return this.connectModern(session, this.configValue.protocol === undefined);
    }
    let opened: OpenedClient;
    try {
      opened = await openClient(this.configValue, {
        newClient: () => this.newClient(),
        onRequest: (method, id) => this.log('trace', `→ ${method} #${id}`),
        onConnectionLost: (client, err) => this.onHttpConnectionLost(session, client, err),
        onStderrLine: (line) => {
          this.lastStderrLine = line;
          this.stderr.push(line);
        },
        info: (message) => this.log('info', message),
        connectTimeoutMs: this.deps.settings().requestTimeoutMs,
        ...(this.deps.sessions && this.configValue.type === 'http'
          ? { sessions: new HttpSessionStore(this.deps.sessions, this.configValue.id, this.configValue.url, (message) => this.log('warn', message)) }
          : {}),
      });
    } catch (err) {
      if (this.configValue.protocol === undefined && isModernOnlyRefusal(err) && session === this.session && !this.disposed) {
        this.log('info', `the server refused the 2025-11-25 handshake (${errorMessage(err)}); opening a 2026-07-28 session`);
        return this.connectModern(session, false);
      }
      if (session === this.session && !this.disposed) {
        const reason = `cannot connect: ${errorMessage(err)}${await this.lastWords()}`;
        if (session === this.session && !this.disposed) {
          this.log('warn', reason);
          this.failAndRetry(reason, session);
        }
      }
      return;
    }
    if (session !== this.session || this.disposed) {
      await closeQuietly(opened.client);
      return;
    }
    this.opened = opened;
    this.connectedAt = Date.now();
    this.generations.remember(this.configValue, '2025-11-25');
    opened.client.onclose = () => {
      void this.lastWords().then((words) => this.onClosed(session, opened.client, `connection closed${words}`));
    };
    const server = opened.client.getServerVersion();
    this.log('info', `connected over ${opened.transport}${server ? ` to ${server.name} ${server.version}` : ''}`);
    this.setStatus({
      kind: 'connected',
      client: opened.client,
      transport: opened.transport,
      ...(server?.name !== undefined ? { serverName: server.name } : {}),
      ...(server?.version !== undefined ? { serverVersion: server.version } : {}),
    });
  }

  /**
   * A 2026-07-28 session (the stack is loaded on first use). `mayFallBack`: the generation was only
   * remembered, so a failure sends the connection back to detection instead of retrying 2026 for ever.
   */
  private async connectModern(session: number, mayFallBack: boolean): Promise<void> {
    let modern: ModernSession;
    try {
      modern = await openModern(this.configValue, {
        clientInfo: CLIENT_INFO,
        connectTimeoutMs: this.deps.settings().requestTimeoutMs,
        onStderrLine: (line) => {
          this.lastStderrLine = line;
          this.stderr.push(line);
        },
        log: (level, message) => this.log(level, message),
      });
    } catch (err) {
      if (session !== this.session || this.disposed) return;
      if (mayFallBack) {
        this.log('info', `no 2026-07-28 session (${errorMessage(err)}); detecting the protocol generation again`);
        this.generations.forget(this.configValue);
        return this.connect(session);
      }
      const reason = `cannot connect: ${errorMessage(err)}${await this.lastWords()}`;
      if (session === this.session && !this.disposed) {
        this.log('warn', reason);
        this.failAndRetry(reason, session);
      }
      return;
    }
    if (session !== this.session || this.disposed) {
      await modern.close().catch(() => undefined);
      return;
    }
    this.modern = modern;
    this.connectedAt = Date.now();
    modern.onClose(() => void this.lastWords().then((words) => this.onClosed(session, modern, `connection closed${words}`)));
    this.generations.remember(this.configValue, '2026-07-28');
    this.log('info', `connected over ${modern.transport} to ${modern.serverName ?? 'the server'} ${modern.serverVersion ?? ''} (2026-07-28)`);
    this.setStatus({
      kind: 'connected',
      modern,
      transport: modern.transport,
      ...(modern.serverName !== undefined ? { serverName: modern.serverName } : {}),
      ...(modern.serverVersion !== undefined ? { serverVersion: modern.serverVersion } : {}),
    });
  }

  private newClient(): Client {
    const client = new Client(CLIENT_INFO, { capabilities: { elicitation: { form: {} } }, jsonSchemaValidator: acceptAllValidator });
    client.onerror = (err) => this.log('warn', `protocol error: ${errorMessage(err)}`);
    client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
      const params = request.params;
      if (!('requestedSchema' in params)) {
        return { action: 'decline' }; // URL mode: not declared, and the SDK refuses it before this
      }
      const related = (params._meta as Record<string, unknown> | undefined)?.[RELATED_TASK_META_KEY] as { taskId?: unknown } | undefined;
      const taskId = typeof related?.taskId === 'string' ? related.taskId : undefined;
      try {
        return await this.deps.onElicitation({ ...(taskId !== undefined ? { taskId } : {}), message: params.message, requestedSchema: params.requestedSchema, signal: extra.signal });
      } catch (err) {
        this.log('warn', `answering an elicitation failed: ${errorMessage(err)}`);
        return { action: 'cancel' };
      }
    });
    return client;
  }

  /** `current`: the Client or the 2026 session that closed (a stale one's close is ignored). */
  private onClosed(session: number, current: Client | ModernSession, reason: string): void {
    if (session !== this.session || this.disposed || (this.opened?.client ?? this.modern) !== current) {
      return;
    }
    this.opened = undefined;
    this.modern = undefined;
    if (Date.now() - this.connectedAt >= STABLE_CONNECTION_MS) {
      this.backoff.reset();
    }
    this.log('warn', reason);
    this.failAndRetry(reason, session);
  }

  /** `; the server last printed: "…"` for a stdio server that printed anything, else ''. */
  private async lastWords(): Promise<string> {
    if (this.configValue.type !== 'stdio') {
      return '';
    }
    // The process's last stderr bytes may be read just after its stdout closed.
    await delay(STDERR_GRACE_MS);
    const line = this.lastStderrLine;
    return line === undefined ? '' : `; the server last printed: "${oneLine(line, 300)}"`;
  }

  private onHttpConnectionLost(session: number, client: Client, err: unknown): void {
    if (session !== this.session || this.opened?.client !== client) {
      return;
    }
    this.log('warn', `server unreachable: ${errorMessage(err)}`);
    // Closing fires client.onclose, which schedules the reconnect.
    void closeQuietly(client);
  }

  private failAndRetry(reason: string, session: number): void {
    const wait = this.backoff.next();
    const retryAt = Date.now() + wait;
    this.setStatus({ kind: 'failed', reason: this.redact(reason), retryAt });
    this.clearRetry();
    this.retryTimer = unrefTimeout(() => {
      this.retryTimer = undefined;
      if (session === this.session && !this.disposed) {
        void this.connect(session);
      }
    }, wait);
  }

  /** `endSession`: also end the HTTP session on the server (nothing there is needed any more). */
  private async closeCurrent(reason: string, endSession = false): Promise<void> {
    const opened = this.opened;
    const modern = this.modern;
    this.opened = undefined;
    this.modern = undefined;
    this.setStatus({ kind: 'disconnected', reason });
    await modern?.close().catch((err: unknown) => this.log('info', `closing the 2026-07-28 session: ${errorMessage(err)}`));
    if (opened) {
      if (endSession && opened.endSession) {
        await opened.endSession().catch((err: unknown) => this.log('info', `could not end the HTTP session: ${errorMessage(err)}`));
      }
      await closeQuietly(opened.client);
    }
  }

  private clearRetry(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.current = status;
    this.statusEmitter.fire(status);
  }

  private log(level: LogLevel, message: string): void {
    if (this.deps.log.isEnabled?.(level) === false) return;
    this.deps.log.log(level, this.configValue.id, this.redact(oneLine(message, MAX_LOG_LINE)));
  }
}

async function closeQuietly(client: Client): Promise<void> {
  try {
    await client.close();
  } catch {
    // Already closed or the process is gone: nothing left to release.
  }
}
