/**
 * Whether VS Code still waits for the tasks it started. VS Code polls `tasks/get` at the task's poll
 * interval until the end; when its caller gives up (a cancelled `invokeTool`, a closed chat) it sends
 * nothing at all — no `tasks/cancel`, no `notifications/cancelled` (seen in VS Code 1.139) — and the task
 * runs on unseen. So silence is the signal: a live task whose session closed, or that has not been polled
 * for three poll intervals, is marked abandoned (and cancelled when the setting asks). A later poll clears
 * the mark.
 */
import { isTerminal } from '../model/TaskModel';
import type { TaskServer } from '../servers/TaskServer';
import { errorMessage } from '../util/errors';
import type { BridgeSession } from './BridgeSession';

/** VS Code polls every pollInterval; three missed polls is silence, not jitter. */
const MISSED_POLLS = 3;
/** When the server suggests no interval (VS Code then polls every 5 s... or so). */
const DEFAULT_POLL_MS = 5_000;
const CHECK_EVERY_MS = 1_000;

interface Watched {
  readonly session: BridgeSession;
  lastPolledAt: number;
}

export class TaskWatch {
  private readonly tasks = new Map<string, Watched>();
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly server: TaskServer,
    private readonly options: { readonly cancelAbandoned: () => boolean; readonly log: (level: 'info' | 'warn', message: string) => void },
  ) {}

  add(taskId: string, session: BridgeSession): void {
    this.tasks.set(taskId, { session, lastPolledAt: Date.now() });
    this.timer ??= setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref?.();
  }

  ownerOf(taskId: string): BridgeSession | undefined {
    return this.tasks.get(taskId)?.session;
  }

  polled(taskId: string, session: BridgeSession): void {
    const watched = this.tasks.get(taskId);
    if (!watched || watched.session !== session) return;
    watched.lastPolledAt = Date.now();
    if (this.server.store.get(taskId)?.abandoned) this.server.bridgeSeam.setAbandoned(taskId, false);
  }

  sessionClosed(session: BridgeSession): void {
    for (const [taskId, watched] of this.tasks) if (watched.session === session) this.abandon(taskId, 'its VS Code session ended');
  }

  /** Looks at every watched task now (the timer does this every second). */
  check(now = Date.now()): void {
    for (const [taskId, watched] of this.tasks) {
      const task = this.server.store.get(taskId);
      if (!task || isTerminal(task.status)) {
        this.tasks.delete(taskId);
        continue;
      }
      if (task.abandoned) continue;
      if (watched.session.closed) this.abandon(taskId, 'its VS Code session ended');
      else if (now - watched.lastPolledAt > MISSED_POLLS * (task.pollInterval ?? DEFAULT_POLL_MS)) this.abandon(taskId, 'VS Code stopped polling it');
    }
    if (this.tasks.size === 0) this.stop();
  }

  dispose(): void {
    this.stop();
    this.tasks.clear();
  }

  private abandon(taskId: string, why: string): void {
    const task = this.server.store.get(taskId);
    if (!task || isTerminal(task.status) || task.abandoned) return;
    this.server.bridgeSeam.setAbandoned(taskId, true);
    const cancel = this.options.cancelAbandoned();
    this.options.log('info', `task ${taskId} (${task.toolName ?? 'tool'}) was abandoned by VS Code: ${why}${cancel ? '; cancelling it' : ''}`);
    if (cancel) {
      this.server.cancelTask(taskId).catch((err: unknown) => this.options.log('warn', `cancelling abandoned task ${taskId} failed: ${errorMessage(err)}`));
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
