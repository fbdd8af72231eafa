/**
 * A server's question (elicitation) may have more than one place to be answered: this extension's own prompt,
 * and the VS Code session whose task asked it (through the bridge). Each is asked; the first answer wins and
 * the others are withdrawn (their signal aborts), as they are when the server itself stops waiting.
 */
import type { ElicitationAnswer, ElicitationRequest } from '../connection/ServerConnection';
import type { ElicitationHandler } from '../model/ports';
import type { TaskTracker } from '../tasks/TaskTracker';

/** Asks one place; must stop asking when `signal` aborts. */
export type Asker = (signal: AbortSignal) => Promise<ElicitationAnswer>;

/**
 * Where else the bridge can ask a question: undefined when no VS Code session should see it. `raw` is the
 * request's params as the server sent them (passed on unchanged).
 */
export type ElicitationRelay = (request: ElicitationRequest) => Asker | undefined;

/** The first answer of any asker (a cancel once the server stops waiting); rejects only when every one failed. */
export function firstAnswer(askers: readonly Asker[], outer?: AbortSignal): Promise<ElicitationAnswer> {
  const done = new AbortController();
  return new Promise<ElicitationAnswer>((resolve, reject) => {
    const settle = (answer: ElicitationAnswer, why: string) => {
      if (done.signal.aborted) return;
      resolve(answer);
      done.abort(why);
    };
    if (outer?.aborted) return settle({ action: 'cancel' }, 'the server stopped waiting');
    outer?.addEventListener('abort', () => settle({ action: 'cancel' }, 'the server stopped waiting'), { once: true });
    let failures = 0;
    for (const ask of askers) {
      ask(done.signal).then(
        (answer) => settle(answer, 'answered elsewhere'),
        (err: unknown) => {
          if (++failures === askers.length && !done.signal.aborted) reject(err);
        },
      );
    }
  });
}

/** One server's questions: asked of our prompt (the host's `elicit`) and of the bridge's relay, if it has one. */
export class ServerQuestions {
  constructor(
    private readonly serverId: string,
    private readonly tracker: TaskTracker,
    private readonly elicit: ElicitationHandler,
    private readonly relay: ElicitationRelay,
  ) {}

  /** A 2025-11-25 question: while it is open, its task shows it (waiting for input, Answer offered). */
  async answer(request: ElicitationRequest): Promise<ElicitationAnswer> {
    const { taskId, message, requestedSchema } = request;
    if (taskId !== undefined) this.tracker.setInputRequest(taskId, { message, requestedSchema, receivedAt: Date.now() });
    try {
      return await this.ask(request);
    } finally {
      if (taskId !== undefined) this.tracker.setInputRequest(taskId, undefined);
    }
  }

  /** Our prompt and, for a task VS Code started, VS Code: the first answer wins. */
  ask(request: ElicitationRequest): Promise<ElicitationAnswer> {
    const { taskId, message, requestedSchema, signal } = request;
    const ours: Asker = (mine) => this.elicit({ serverId: this.serverId, ...(taskId !== undefined ? { taskId } : {}), message, requestedSchema, signal: mine });
    const relayed = this.relay(request);
    return firstAnswer(relayed ? [ours, relayed] : [ours], signal);
  }
}
