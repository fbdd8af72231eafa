/**
 * The SDK 1.x Client for 2025-11-25 servers: our capabilities (form elicitation), and elicitation requests
 * handed to the host with the task they belong to and a signal that aborts when the server stops waiting.
 */
import { randomInt } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CancelledNotificationSchema, CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, RELATED_TASK_META_KEY, type ClientCapabilities, type Request, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationHandler } from '../model/ports';
import { errorMessage } from '../util/errors';
import { acceptAllValidator } from './acceptAllValidator';

export const CLIENT_INFO = { name: 'mcp-tasks', version: '0.1.0' } as const;

export interface ElicitationRequest {
  readonly taskId?: string;
  readonly message: string;
  readonly requestedSchema: unknown;
  /** Aborts when the server no longer waits (notifications/cancelled, or the connection closed). */
  readonly signal?: AbortSignal;
  /** The request's params exactly as the server sent them (the bridge passes them on unchanged). */
  readonly params?: Readonly<Record<string, unknown>>;
}
export type ElicitationAnswer = Awaited<ReturnType<ElicitationHandler>>;
/**
 * Answers the server's `sampling/createMessage` and `roots/list` (the request as sent; its reply or a thrown
 * error with a JSON-RPC `code`). Given: both are declared (roots with listChanged), capabilities being fixed
 * at initialize while who can answer (a VS Code session through the bridge) comes and goes.
 */
export type ClientRequestHandler = (request: Request, signal: AbortSignal) => Promise<Result>;

export function newLegacyClient(onElicitation: (request: ElicitationRequest) => Promise<ElicitationAnswer>, warn: (message: string) => void, onClientRequest?: ClientRequestHandler): Client {
  const capabilities: ClientCapabilities = { elicitation: { form: {} }, ...(onClientRequest ? { sampling: {}, roots: { listChanged: true } } : {}) };
  const client = new Client(CLIENT_INFO, { capabilities, jsonSchemaValidator: acceptAllValidator });
  if (onClientRequest) {
    client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => onClientRequest(request, extra.signal) as never);
    client.setRequestHandler(ListRootsRequestSchema, (request, extra) => onClientRequest(request, extra.signal) as never);
  }
  client.onerror = (err) => warn(`protocol error: ${errorMessage(err)}`);
  // Request ids count from 0 in every Client. Resumed HTTP sessions are shared by processes (CLI runs at
  // the same time, reading one state file): with equal ids in one session, the server answers one process's
  // request on the other's stream, and the first waits for ever. Ids from a random start do not collide.
  (client as unknown as { _requestMessageId: number })._requestMessageId = randomInt(2 ** 30);
  // SDK 1.x drops notifications/cancelled for request id 0 (`if (!requestId) return`), and a server's first
  // request on a connection has id 0: the first question of every session could never be withdrawn. The
  // same handling, without that slip (the abort controllers are the SDK's own, by request id).
  client.setNotificationHandler(CancelledNotificationSchema, (notification) => {
    const { requestId, reason } = notification.params;
    if (requestId === undefined) return;
    (client as unknown as { _requestHandlerAbortControllers?: Map<unknown, AbortController> })._requestHandlerAbortControllers?.get(requestId)?.abort(reason);
  });
  client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
    const params = request.params;
    if (!('requestedSchema' in params)) {
      return { action: 'decline' }; // URL mode: not declared, and the SDK refuses it before this
    }
    const related = (params._meta as Record<string, unknown> | undefined)?.[RELATED_TASK_META_KEY] as { taskId?: unknown } | undefined;
    const taskId = typeof related?.taskId === 'string' ? related.taskId : undefined;
    try {
      return await onElicitation({ ...(taskId !== undefined ? { taskId } : {}), message: params.message, requestedSchema: params.requestedSchema, signal: extra.signal, params });
    } catch (err) {
      warn(`answering an elicitation failed: ${errorMessage(err)}`);
      return { action: 'cancel' };
    }
  });
  return client;
}

export async function closeQuietly(client: Client): Promise<void> {
  try {
    await client.close();
  } catch {
    // Already closed or the process is gone: nothing left to release.
  }
}
