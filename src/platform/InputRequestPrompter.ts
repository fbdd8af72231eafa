import * as vscode from 'vscode';
import { shortId, taskKey, taskTitle, type ElicitationHandler, type ServerRegistryApi } from '../core';
import { askForSchemaValue, BACK } from '../commands/schemaForm';

type Request = Parameters<ElicitationHandler>[0];
type Answer = Awaited<ReturnType<ElicitationHandler>>;

interface Pending {
  readonly request: Request;
  readonly resolve: (answer: Answer) => void;
  /** Cancelled when the request ends without an answer from the form: closes the open form. */
  readonly closed: vscode.CancellationTokenSource;
  answering: boolean;
}

/**
 * What opening the form came to: sent, dismissed (the request stays pending), already open, no request
 * (none was sent yet), or withdrawn (the server stopped waiting; the user is told, nothing is sent).
 */
export type AnswerOutcome = 'answered' | 'dismissed' | 'answering' | 'none' | 'withdrawn';

/** How many withdrawn requests are remembered (to explain a late click on their notification). */
const WITHDRAWN_KEPT = 100;

/**
 * Answers a server's elicitation (a task waiting in `input_required`): a notification offers to answer,
 * and the tree's "Answer Input Request" action opens the same form later if the notification was missed.
 * The server's request stays pending until the user answers or declines, or the server stops waiting (its
 * request timed out or was cancelled, or the connection closed): then the open form closes and a late
 * answer is refused with "The server stopped waiting for this answer".
 */
export class InputRequestPrompter implements vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  /** Requests the server withdrew, by key, until a new one arrives for the same task. */
  private readonly withdrawn = new Map<string, Request>();
  /** Set once the registry exists (it is built with this prompter's handler): names the asking task. */
  registry: ServerRegistryApi | undefined;

  readonly handler: ElicitationHandler = (request) =>
    new Promise<Answer>((resolve) => {
      const key = keyOf(request.serverId, request.taskId);
      this.settle(key, { action: 'cancel' }); // a newer request replaces an unanswered one
      this.withdrawn.delete(key);
      if (request.signal?.aborted) return resolve({ action: 'cancel' });
      const p: Pending = { request, resolve, closed: new vscode.CancellationTokenSource(), answering: false };
      this.pending.set(key, p);
      request.signal?.addEventListener('abort', () => this.withdraw(key, p), { once: true });
      void this.notify(key);
    });

  /** Opens the form for a pending request (or says why there is nothing to answer). */
  async answer(serverId: string, taskId: string | undefined): Promise<AnswerOutcome> {
    const key = keyOf(serverId, taskId);
    const p = this.pending.get(key);
    if (!p) {
      const gone = this.withdrawn.get(key);
      if (!gone) return 'none';
      this.sayWithdrawn(gone);
      return 'withdrawn';
    }
    if (p.answering) return 'answering';
    p.answering = true;
    try {
      const content = await askForSchemaValue(p.request.requestedSchema, this.askedBy(p.request), { question: p.request.message, token: p.closed.token });
      if (this.pending.get(key) !== p) {
        // The form was closed under the user (or answered too late): the server no longer waits.
        if (this.withdrawn.get(key) !== p.request) return 'dismissed'; // replaced by a newer question, which is offered
        this.sayWithdrawn(p.request);
        return 'withdrawn';
      }
      if (content === undefined || content === BACK) {
        p.answering = false;
        return 'dismissed'; // leave the request pending, the tree still offers it
      }
      this.settle(key, { action: 'accept', content });
    } catch (e) {
      p.answering = false;
      throw e;
    }
    return 'answered';
  }

  /** The server stopped waiting: close the form, remember why, end the handler's promise (ignored by the SDK). */
  private withdraw(key: string, p: Pending): void {
    if (this.pending.get(key) !== p) return;
    this.withdrawn.set(key, p.request);
    if (this.withdrawn.size > WITHDRAWN_KEPT) this.withdrawn.delete(this.withdrawn.keys().next().value!);
    this.settle(key, { action: 'cancel' });
  }

  private sayWithdrawn(request: Request): void {
    void vscode.window.showWarningMessage(`The server stopped waiting for this answer, so it was not sent (${this.askedBy(request)}: ${request.message}).`);
  }

  /** Which task asks, for the form's title: "demo · slow-job: report asks" (the server id without a task). */
  private askedBy(request: Request): string {
    const server = this.registry?.get(request.serverId);
    const task = request.taskId ? server?.store.get(request.taskId) : undefined;
    // A task named by its question (its status message, or a question argument) would say it twice.
    const title = task ? taskTitle(task, 60) : undefined;
    const repeatsQuestion = title !== undefined && title.includes(request.message.slice(0, 20));
    const who = title && !repeatsQuestion ? title : (task?.toolName ?? (request.taskId ? `task ${shortId(request.taskId)}` : undefined));
    return `${server?.config.name ?? request.serverId}${who ? ` · ${who}` : ''} asks`;
  }

  decline(serverId: string, taskId: string | undefined): void {
    this.settle(keyOf(serverId, taskId), { action: 'decline' });
  }

  private async notify(key: string): Promise<void> {
    const p = this.pending.get(key);
    if (!p) return;
    const { serverId, taskId, message } = p.request;
    const choice = await vscode.window.showInformationMessage(
      `${this.askedBy(p.request)}: ${message}`,
      'Answer',
      'Decline',
    );
    if (choice === 'Answer') await this.answer(serverId, taskId);
    else if (choice === 'Decline') this.decline(serverId, taskId);
  }

  private settle(key: string, answer: Answer): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    p.closed.cancel();
    p.closed.dispose();
    p.resolve(answer);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.settle(key, { action: 'cancel' });
  }
}

const keyOf = (serverId: string, taskId: string | undefined) => taskKey(serverId, taskId ?? '');
