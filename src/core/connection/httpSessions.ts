/**
 * Streamable HTTP sessions kept across connections. Servers may keep tasks per MCP session (server-everything
 * does): a client that opens a new session each time finds the tasks of the last one unknown. So the
 * session id is kept per server in the host's KeyValueStorage (workspace state in the editor, the CLI's
 * state file) under `session:<serverId>` and resumed on the next connection; a session the server refuses
 * (HTTP 404, or 400 as server-everything answers) gives way to a new one.
 *
 * A resumed session is not initialized again (the SDK's Client skips `initialize` when the transport has a
 * session id), so what the server declared at initialization is kept with the id and restored.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError, type StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Implementation, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { KeyValueStorage } from '../model/ports';

export const SESSION_KEY_PREFIX = 'session:';

export function sessionKey(serverId: string): string {
  return `${SESSION_KEY_PREFIX}${serverId}`;
}

export interface SavedSession {
  /** The endpoint the session belongs to: a changed URL never resumes it. */
  readonly url: string;
  readonly sessionId: string;
  readonly protocolVersion?: string;
  readonly capabilities?: ServerCapabilities;
  readonly serverInfo?: Implementation;
  readonly instructions?: string;
}

/** The saved session of one server at one URL. Writes are not awaited by connecting: failures are logged. */
export class HttpSessionStore {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly serverId: string,
    private readonly url: string,
    private readonly onError: (message: string) => void,
  ) {}

  load(): SavedSession | undefined {
    let saved: unknown;
    try {
      saved = this.storage.get<unknown>(sessionKey(this.serverId));
    } catch {
      return undefined;
    }
    if (typeof saved !== 'object' || saved === null) return undefined;
    const s = saved as Partial<SavedSession>;
    if (s.url !== this.url || typeof s.sessionId !== 'string' || s.sessionId === '') return undefined;
    return s as SavedSession;
  }

  /** Keeps the session of a client that just initialized (or forgets any when the server gave none). */
  saveFrom(client: Client, transport: StreamableHTTPClientTransport): void {
    const sessionId = transport.sessionId;
    if (sessionId === undefined) {
      this.forget();
      return;
    }
    const capabilities = client.getServerCapabilities();
    const serverInfo = client.getServerVersion();
    const instructions = client.getInstructions();
    const record: SavedSession = {
      url: this.url,
      sessionId,
      ...(transport.protocolVersion !== undefined ? { protocolVersion: transport.protocolVersion } : {}),
      ...(capabilities !== undefined ? { capabilities } : {}),
      ...(serverInfo !== undefined ? { serverInfo } : {}),
      ...(instructions !== undefined ? { instructions } : {}),
    };
    this.write(record);
  }

  forget(): void {
    if (this.storage.get(sessionKey(this.serverId)) !== undefined) {
      this.write(undefined);
    }
  }

  private write(value: SavedSession | undefined): void {
    this.storage.set(sessionKey(this.serverId), value).catch((err: unknown) => this.onError(`could not save the HTTP session: ${String(err)}`));
  }
}

/** The server does not know (any longer) the session we sent: 404 per the spec, 400 from some servers. */
export function isSessionRefused(err: unknown): boolean {
  return err instanceof StreamableHTTPError && (err.code === 404 || err.code === 400);
}

/**
 * Gives a Client that skipped `initialize` (a resumed session) what the server declared then. The fields
 * are private to the SDK (pinned at 1.32.2); should they be renamed, the client simply knows no
 * capabilities, and the server is shown as one without tasks until a new session is made.
 */
export function restoreServerInfo(client: Client, saved: SavedSession): void {
  const fields = client as unknown as { _serverCapabilities?: unknown; _serverVersion?: unknown; _instructions?: unknown };
  if (saved.capabilities !== undefined) fields._serverCapabilities = saved.capabilities;
  if (saved.serverInfo !== undefined) fields._serverVersion = saved.serverInfo;
  if (saved.instructions !== undefined) fields._instructions = saved.instructions;
}

/**
 * Opens the standalone GET event stream (server notifications such as task status pushes, and requests such
 * as elicitations) on a resumed session: the SDK opens it only after `notifications/initialized`, which a
 * resumed session does not send. Private SDK method; without it, polling still sees every change.
 */
export function openEventStream(transport: StreamableHTTPClientTransport): void {
  const t = transport as unknown as { _startOrAuthSse?: (options: { resumptionToken?: string }) => Promise<void> };
  if (typeof t._startOrAuthSse === 'function') {
    t._startOrAuthSse({ resumptionToken: undefined }).catch(() => undefined); // reported through onerror
  }
}
