/**
 * VS Code's requests that need no translation of their own (resources, prompts, completion, plain tool calls,
 * methods nobody here knows), passed on to a 2026-07-28 server and answered in 2025-11-25 terms:
 * - framing: the session adds the per-request `_meta` (version, client, capabilities) and the log level VS Code
 *   set with `logging/setLevel` (2026 has no such request: a log level travels with each request);
 * - progress: VS Code's token is replaced by one of ours, and the server's progress under it comes back to the
 *   caller (`onprogress`) under VS Code's;
 * - input: 2026 asks in the result (`input_required` with `inputRequests`: elicitation, sampling, roots);
 *   each question is put to VS Code as the 2025 server request it is — to the session whose request it is,
 *   on that request's stream (`options.ask`), when that session answers the kind; else as the core's
 *   questions go — and the request is sent again with the answers (and the server's `requestState`), until
 *   the server answers for good;
 * - the reply: without the 2026-only result fields; an error as the server sent it (code, message, data).
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { McpError, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { ModernSession, ServerNotification, WireRecord } from '../connection/ModernSession';
import type { BridgeSeam } from '../servers/BridgeSeam';
import type { ForwardOptions, RelatedAsk } from './BridgeUpstream';
import type { Disposable } from '../util/Emitter';
import { result2025 } from './wire2025';

/** A server that keeps asking is answered this many rounds, then refused (a loop would never end). */
const MAX_INPUT_ROUNDS = 16;
/** A forwarded request may run as long as the server takes (VS Code cancels it itself). */
const FORWARD_TIMEOUT_MS = 24 * 60 * 60_000;
/** What the bridge can answer in-band for VS Code (roots from the workspace when VS Code cannot). */
const BRIDGE_CAPABILITIES = { sampling: {}, roots: {} };

/** Progress tokens the bridge puts in place of VS Code's. */
const TOKEN_PREFIX = 'mcp-tasks-bridge-';

type Progress = NonNullable<RequestOptions['onprogress']>;

/** Progress under a token of ours: it goes to the forwarded request it belongs to, not to every session. */
export function isForwardedProgress(method: string, params: WireRecord | undefined): boolean {
  return method === 'notifications/progress' && typeof params?.progressToken === 'string' && params.progressToken.startsWith(TOKEN_PREFIX);
}

export class Forward2026 implements Disposable {
  /** `logging/setLevel` of VS Code: applies to every request passed on from then. */
  logLevel?: string;
  private readonly progress = new Map<string | number, Progress>();
  private nextToken = 0;
  private readonly subscription: Disposable;

  constructor(
    private readonly session: ModernSession,
    private readonly seam: BridgeSeam,
  ) {
    this.subscription = session.onNotification((n) => this.onProgress(n));
  }

  async request(method: string, params: WireRecord, options?: ForwardOptions): Promise<Result> {
    const signal = options?.signal ?? undefined;
    const meta = (typeof params._meta === 'object' && params._meta !== null ? params._meta : {}) as WireRecord;
    let sent = params;
    let token: string | undefined;
    if (meta.progressToken !== undefined && options?.onprogress) {
      token = `${TOKEN_PREFIX}${++this.nextToken}`;
      this.progress.set(token, options.onprogress);
      sent = { ...params, _meta: { ...meta, progressToken: token } };
    }
    try {
      for (let round = 0; round <= MAX_INPUT_ROUNDS; round++) {
        const reply = await this.session.forward(method, sent, {
          timeoutMs: FORWARD_TIMEOUT_MS,
          clientCapabilities: BRIDGE_CAPABILITIES,
          ...(signal ? { signal } : {}),
          ...(this.logLevel !== undefined ? { logLevel: this.logLevel } : {}),
        });
        if (reply.kind === 'error') throw new McpError(reply.error.code, reply.error.message, reply.error.data);
        if (reply.result.resultType !== 'input_required') return result2025(reply.result);
        const { requestState } = reply.result;
        const inputResponses = await this.answer(reply.result.inputRequests, signal, options?.ask);
        sent = { ...sent, inputResponses, ...(typeof requestState === 'string' ? { requestState } : {}) };
      }
      throw new McpError(-32603, `${method}: the server still asked for input after ${MAX_INPUT_ROUNDS} answers`);
    } finally {
      if (token !== undefined) this.progress.delete(token);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.progress.clear();
  }

  /** Each question put to VS Code as the server request it is; all answered before the request goes again. */
  private async answer(requests: unknown, signal: AbortSignal | undefined, related: RelatedAsk | undefined): Promise<WireRecord> {
    const entries = Object.entries(typeof requests === 'object' && requests !== null ? (requests as Record<string, { method?: unknown; params?: WireRecord }>) : {});
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const answers = await Promise.all(entries.map(async ([key, request]) => [key, await this.ask(request, controller.signal, related)] as const));
      return Object.fromEntries(answers);
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  private async ask(request: { method?: unknown; params?: WireRecord }, signal: AbortSignal, related: RelatedAsk | undefined): Promise<unknown> {
    const params = request.params ?? {};
    const asked = typeof request.method === 'string' ? related?.({ method: request.method, params }, signal) : undefined;
    if (asked) return asked;
    if (request.method === 'elicitation/create') {
      const asker = this.seam.relay?.({ message: String(params.message ?? ''), requestedSchema: params.requestedSchema, params, signal });
      // No VS Code session can answer: the question is dismissed, as a user closing the form would.
      return asker ? asker(signal) : { action: 'cancel' };
    }
    if (request.method === 'sampling/createMessage' || request.method === 'roots/list') {
      return this.seam.answerClientRequest({ method: request.method, params }, signal);
    }
    throw new McpError(-32602, `the server asked for input of an unknown kind (${String(request.method)})`);
  }

  private onProgress(n: ServerNotification): void {
    if (n.method !== 'notifications/progress' || !n.params) return;
    const { progressToken, ...progress } = n.params;
    const listener = this.progress.get(progressToken as string);
    listener?.(progress as Parameters<Progress>[0]);
  }
}
