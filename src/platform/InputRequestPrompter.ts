import * as vscode from 'vscode';
import { shortId, taskKey, taskTitle, type ElicitationHandler, type ServerRegistryApi } from '../core';
import { askForSchemaValue } from '../commands/schemaForm';

type Request = Parameters<ElicitationHandler>[0];
type Answer = Awaited<ReturnType<ElicitationHandler>>;

interface Pending {
  readonly request: Request;
  readonly resolve: (answer: Answer) => void;
  answering: boolean;
}

/**
 * Answers a server's elicitation (a task waiting in `input_required`): a notification offers to answer,
 * and the tree's "Answer Input Request" action opens the same form later if the notification was missed.
 * The server's request stays pending until the user answers or declines.
 */
export class InputRequestPrompter implements vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  /** Set once the registry exists (it is built with this prompter's handler): names the asking task. */
  registry: ServerRegistryApi | undefined;

  readonly handler: ElicitationHandler = (request) =>
    new Promise<Answer>((resolve) => {
      const key = keyOf(request.serverId, request.taskId);
      this.pending.get(key)?.resolve({ action: 'cancel' }); // a newer request replaces an unanswered one
      this.pending.set(key, { request, resolve, answering: false });
      void this.notify(key);
    });

  /** Opens the form for a pending request; returns false when there is none. */
  async answer(serverId: string, taskId: string | undefined): Promise<boolean> {
    const key = keyOf(serverId, taskId);
    const p = this.pending.get(key);
    if (!p || p.answering) return !!p;
    p.answering = true;
    try {
      const content = await askForSchemaValue(p.request.requestedSchema, this.askedBy(p.request), p.request.message);
      if (content === undefined) {
        p.answering = false;
        return true; // dismissed: leave the request pending, the tree still offers it
      }
      this.settle(key, { action: 'accept', content });
    } catch (e) {
      p.answering = false;
      throw e;
    }
    return true;
  }

  /** Which task asks, for the form's title: "demo · slow-job: report asks" (the server id without a task). */
  private askedBy(request: Request): string {
    const server = this.registry?.get(request.serverId);
    const task = request.taskId ? server?.store.get(request.taskId) : undefined;
    const who = task ? taskTitle(task, 60) : request.taskId ? `task ${shortId(request.taskId)}` : undefined;
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
    p.resolve(answer);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.settle(key, { action: 'cancel' });
  }
}

const keyOf = (serverId: string, taskId: string | undefined) => taskKey(serverId, taskId ?? '');
