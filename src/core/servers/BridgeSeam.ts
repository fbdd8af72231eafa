/**
 * What src/core/bridge needs of one server, kept apart from TaskServer's API (hosts never see the SDK): the
 * live 2025-11-25 client VS Code's requests are forwarded on, and the tracker's way of recording what VS
 * Code's own client does with tasks on that connection.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Request, Result } from '@modelcontextprotocol/sdk/types.js';
import type { ModernSession } from '../connection/ModernSession';
import type { ServerConnection } from '../connection/ServerConnection';
import type { WorkspaceRoot } from '../model/ports';
import type { TrackedTask } from '../model/TaskModel';
import { readWireTask } from '../protocol/wireTask';
import type { TaskTracker } from '../tasks/TaskTracker';
import type { ElicitationRelay } from './elicitationRelay';

/** What the spec's own example uses for a sampling request the client will not serve. */
const SAMPLING_REFUSED = -1;

export class BridgeSeam {
  /** Where else a question of the server is put (VS Code sessions); the first answer wins. */
  relay?: ElicitationRelay;
  /** The VS Code session to put a server's `sampling/createMessage` or `roots/list` to, if one can answer it. */
  clientRelay?: (request: Request) => ((signal: AbortSignal) => Promise<Result>) | undefined;

  constructor(
    private readonly connection: ServerConnection,
    private readonly tracker: TaskTracker,
    private readonly roots?: () => readonly WorkspaceRoot[],
  ) {}

  /**
   * The server asked its client (us) for sampling or roots. A VS Code session through the bridge answers if
   * one can; otherwise roots are the host's workspace roots, and sampling is refused: this extension has no
   * model of its own to sample with.
   */
  async answerClientRequest(request: Request, signal: AbortSignal): Promise<Result> {
    const relayed = this.clientRelay?.(request);
    if (relayed) return relayed(signal);
    if (request.method === 'roots/list') return { roots: (this.roots?.() ?? []).map((r) => ({ ...r })) };
    throw Object.assign(new Error(`${request.method}: no VS Code session that answers it is connected to this server through MCP Tasks`), { code: SAMPLING_REFUSED });
  }

  /** The SDK client of the current 2025-11-25 connection. */
  upstreamClient(): Client | undefined {
    const status = this.connection.status;
    return status.kind === 'connected' && status.client ? status.client : undefined;
  }

  /** The session of the current 2026-07-28 connection: the bridge translates VS Code's 2025 traffic onto it. */
  modernSession(): ModernSession | undefined {
    const status = this.connection.status;
    return status.kind === 'connected' && status.modern ? status.modern : undefined;
  }

  /** A task-augmented `tools/call` reply VS Code received through the bridge: tracked as started by VS Code. */
  recordCreated(reply: unknown, toolName: string, args: Readonly<Record<string, unknown>>, requestedTtl: number): TrackedTask | undefined {
    const { task } = readWireTask((reply as { task?: unknown } | undefined)?.task);
    if (!task) return undefined;
    // A 2026-07-28 task the bridge started through the core (callToolAsTask) is already tracked as VS Code's.
    const held = this.tracker.store.get(task.taskId);
    return held?.startedBy === 'vscode' ? held : this.tracker.started({ task }, toolName, args, requestedTtl, 'vscode');
  }

  /**
   * A `tasks/get` reply VS Code received through the bridge: the same news our poll would bring, so it is
   * applied (and our own next poll of that task moves back by an interval: one poller, not two).
   */
  observe(reply: unknown): void {
    const { task } = readWireTask(reply);
    if (task && this.tracker.store.get(task.taskId)) this.tracker.apply(task);
  }

  setAbandoned(taskId: string, abandoned: boolean): void {
    this.tracker.setAbandoned(taskId, abandoned);
  }

  /** Hides this server's configured secrets in text about it. */
  redact(text: string): string {
    return this.connection.redact(text);
  }
}
