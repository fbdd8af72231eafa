/**
 * One configured server's live connection: an SDK Client over the configured transport, a small state
 * machine (connecting → connected | failed), and reconnects with capped exponential backoff whenever the
 * connection drops or cannot be made. Knows nothing about tasks beyond answering elicitation requests.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ProtocolGeneration, ServerConfig, TransportKind } from '../config/ServerConfig';
import type { CoreSettings, KeyValueStorage, LogLevel, LogSink } from '../model/ports';
import { Backoff, DEFAULT_RECONNECT_BACKOFF, type BackoffOptions } from '../util/Backoff';
import { Emitter, type Event } from '../util/Emitter';
import { errorMessage } from '../util/errors';
import { oneLine } from '../util/logText';
import { makeRedactor, type Redactor } from '../util/redact';
import { unrefTimeout, type TimerHandle } from '../util/timers';
import { secretsOf } from './configSecrets';
import { GenerationMemory, isModernOnlyRefusal } from './generation';
import { HttpSessionStore } from './httpSessions';
import { CLIENT_INFO, closeQuietly, newLegacyClient, type ClientRequestHandler, type ElicitationAnswer, type ElicitationRequest } from './legacyClient';
import { legacySession, modernSession, type LiveSession, type ProtocolChannel } from './liveSession';
import { openModern } from './loadModern';
import { openClient } from './openClient';
import { StderrThrottle } from './StderrThrottle';

export { CLIENT_INFO, type ClientRequestHandler, type ElicitationAnswer, type ElicitationRequest };

/** A connection that stayed up this long was healthy: the next drop starts the backoff from the bottom. */
const STABLE_CONNECTION_MS = 30_000;
const MAX_LOG_LINE = 2_000;

export type ConnectionStatus =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | ({
      readonly kind: 'connected';
      readonly transport: TransportKind;
      readonly serverName?: string;
      readonly serverVersion?: string;
    } & ProtocolChannel)
  | { readonly kind: 'failed'; readonly reason: string; readonly retryAt?: number }
  | { readonly kind: 'disconnected'; readonly reason?: string };

export interface ConnectionDeps {
  readonly log: LogSink;
  readonly settings: () => CoreSettings;
  /** Answers `elicitation/create` (form mode). */
  readonly onElicitation: (request: ElicitationRequest) => Promise<ElicitationAnswer>;
  /** Answers `sampling/createMessage` and `roots/list` (2025-11-25); without it neither is declared. */
  readonly onClientRequest?: ClientRequestHandler;
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
  private live?: LiveSession;
  private connectedAt = 0;
  private retryTimer?: TimerHandle;
  private started = false;
  private disposed = false;
  private readonly backoff: Backoff;
  private readonly stderr = new StderrThrottle((line) => this.log('info', `[stderr] ${line}`));
  private redactor: Redactor;
  private readonly generations: GenerationMemory;
  private options: Readonly<RequestOptions> = {};

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
    return this.live?.pid;
  }

  /** Options for every request: the timeout setting is read each time; a new object only when it changed (the SDK only reads it). */
  requestOptions(): RequestOptions {
    const timeout = this.deps.settings().requestTimeoutMs;
    if (this.options.timeout !== timeout) this.options = Object.freeze({ timeout });
    return this.options;
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

  /**
   * One attempt. `generation` defaults to what the configuration pins or this server was last seen to
   * speak (none: try 2025-11-25 first); `detecting` allows one switch to the other generation.
   */
  private async connect(session: number, generation = this.generations.preferred(this.configValue), detecting = this.configValue.protocol === undefined): Promise<void> {
    this.setStatus({ kind: 'connecting', attempt: this.backoff.attempts + 1 });
    this.stderr.newProcess();
    let live: LiveSession;
    try {
      live = generation === '2026-07-28' && this.configValue.type !== 'sse' ? await this.openModern() : await this.openLegacy(session);
    } catch (err) {
      if (session !== this.session || this.disposed) return;
      const other = detecting ? this.otherGeneration(generation, err) : undefined;
      if (other) {
        this.log('info', other === '2026-07-28' ? `the server refused the 2025-11-25 handshake (${errorMessage(err)}); opening a 2026-07-28 session` : `no 2026-07-28 session (${errorMessage(err)}); detecting the protocol generation again`);
        if (other === '2025-11-25') this.generations.forget(this.configValue);
        return this.connect(session, other, false);
      }
      const reason = `cannot connect: ${errorMessage(err)}${await this.lastWords()}`;
      if (session === this.session && !this.disposed) {
        this.log('warn', reason);
        this.failAndRetry(reason, session);
      }
      return;
    }
    if (session !== this.session || this.disposed) {
      await live.close(false, (message) => this.log('info', message));
      return;
    }
    this.live = live;
    this.connectedAt = Date.now();
    live.onClose(() => void this.lastWords().then((words) => this.onClosed(session, live, `connection closed${words}`)));
    this.generations.remember(this.configValue, live.generation);
    this.log('info', `connected over ${live.transport}${live.serverName ? ` to ${live.serverName} ${live.serverVersion ?? ''}` : ''} (${live.generation})`);
    this.setStatus({
      kind: 'connected',
      ...live.channel,
      transport: live.transport,
      ...(live.serverName !== undefined ? { serverName: live.serverName } : {}),
      ...(live.serverVersion !== undefined ? { serverVersion: live.serverVersion } : {}),
    });
  }

  /**
   * Which generation to try after this one failed, if any: a refused 2025 handshake means a 2026-only
   * server; a remembered 2026 verdict that no longer connects is detected afresh.
   */
  private otherGeneration(tried: ProtocolGeneration | undefined, err: unknown): ProtocolGeneration | undefined {
    if (tried !== '2026-07-28') return isModernOnlyRefusal(err) ? '2026-07-28' : undefined;
    return '2025-11-25';
  }

  private async openLegacy(session: number): Promise<LiveSession> {
    const opened = await openClient(this.configValue, {
      newClient: () => newLegacyClient(this.deps.onElicitation, (message) => this.log('warn', message), this.deps.onClientRequest),
      // Checked first: the line is built per request, and tracing is off unless asked for.
      onRequest: (method, id) => {
        if (this.deps.log.isEnabled?.('trace') !== false) this.log('trace', `→ ${method} #${id}`);
      },
      onConnectionLost: (client, err) => this.onHttpConnectionLost(session, client, err),
      onStderrLine: (line) => this.stderr.push(line),
      info: (message) => this.log('info', message),
      connectTimeoutMs: this.deps.settings().requestTimeoutMs,
      ...(this.deps.sessions && this.configValue.type === 'http'
        ? { sessions: new HttpSessionStore(this.deps.sessions, this.configValue.id, this.configValue.url, (message) => this.log('warn', message)) }
        : {}),
    });
    return legacySession(opened);
  }

  /** A 2026-07-28 session (the stack is loaded on first use). */
  private async openModern(): Promise<LiveSession> {
    const modern = await openModern(this.configValue, {
      clientInfo: CLIENT_INFO,
      connectTimeoutMs: this.deps.settings().requestTimeoutMs,
      onStderrLine: (line) => this.stderr.push(line),
      log: (level, message) => this.log(level, message),
    });
    return modernSession(modern);
  }

  /** `live`: the session that closed (a stale one's close is ignored). */
  private onClosed(session: number, live: LiveSession, reason: string): void {
    if (session !== this.session || this.disposed || this.live !== live) {
      return;
    }
    this.live = undefined;
    if (Date.now() - this.connectedAt >= STABLE_CONNECTION_MS) {
      this.backoff.reset();
    }
    this.log('warn', reason);
    this.failAndRetry(reason, session);
  }

  /** What a stdio server last printed, for a reason it stopped (nothing for HTTP: no wait either). */
  private lastWords(): Promise<string> {
    return this.configValue.type === 'stdio' ? this.stderr.lastWords() : Promise.resolve('');
  }

  private onHttpConnectionLost(session: number, client: Client, err: unknown): void {
    if (session !== this.session || this.live?.channel.client !== client) {
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
    const live = this.live;
    this.live = undefined;
    this.setStatus({ kind: 'disconnected', reason });
    await live?.close(endSession, (message) => this.log('info', message));
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
