import * as vscode from 'vscode';
import { describeStatus, fenced, formatDuration, formatLocalTime, isTerminal, outcomeToMarkdown, outcomeWholeText, type ServerRegistryApi, shortId, shownStatus, statusWords, taskArguments, taskKey, taskTitle, type TaskServerApi, type TrackedTask } from '../core';

export const RESULT_SCHEME = 'mcp-task-result';
const FETCHING_TEXT = '_Fetching the result…_\n';

/** One read-only document per server + task: `mcp-task-result:/<server>/<label>.md?server=<id>&task=<id>`. */
export function resultUri(server: TaskServerApi, task: TrackedTask): vscode.Uri {
  const label = `${task.toolName ?? 'task'} ${shortId(task.taskId)}`.replace(/[/\\?#]/g, '_');
  const query = new URLSearchParams({ server: server.id, task: task.taskId }).toString();
  return vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${server.config.name.replace(/[/\\?#]/g, '_')}/${label}.md`, query });
}

/**
 * The whole text of a finished task's result as plain text: `mcp-task-result:/<server>/<label>.txt?…&whole=1`.
 * The `.txt` name makes it plain text, so no Markdown tokenizer, language server or preview runs over
 * megabytes; the result document shows only the start of a large result.
 */
export function resultTextUri(server: TaskServerApi, task: TrackedTask): vscode.Uri {
  return wholeTextOf(resultUri(server, task));
}

/** The plain-text whole of a result document's address. */
export function wholeTextOf(md: vscode.Uri): vscode.Uri {
  return md.with({ path: md.path.replace(/\.md$/, '.txt'), query: `${md.query}&whole=1` });
}

export function parseResultUri(uri: vscode.Uri): { serverId: string; taskId: string; whole: boolean } | undefined {
  const q = new URLSearchParams(uri.query);
  const serverId = q.get('server');
  const taskId = q.get('task');
  return serverId && taskId ? { serverId, taskId, whole: q.get('whole') === '1' } : undefined;
}

/**
 * Renders a task and its outcome as Markdown. While the task runs the document says so; the store's
 * events update it (`onDidChange`) as the status moves and when the result arrives. Results are fetched
 * once (the core caches terminal outcomes).
 */
export class TaskResultDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly onDidChangeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.onDidChangeEmitter.event;
  /** Open documents by `taskKey`, with the server object each was last rendered from. */
  private readonly open = new Map<string, { readonly uri: vscode.Uri; readonly server?: TaskServerApi }>();
  /**
   * An open document of a running task holds it: the core then polls it at its own rate even when its row is
   * not on a shown page (behind "Show more", a collapsed server), so the document really does update itself.
   */
  private readonly holds = new Map<string, vscode.Disposable>();
  private readonly fetching = new Set<string>();
  /** Documents (by address) last given the "Fetching" text. */
  private readonly saidFetching = new Set<string>();
  private readonly fetchErrors = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly registry: ServerRegistryApi) {
    this.disposables.push(
      // A fetch that ends before the editor has taken in the document fires a change it ignores: once the
      // document is open, render it again if it still says "Fetching".
      // (Known by address, not by reading the text: a whole result opened as text can be megabytes.)
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.uri.scheme === RESULT_SCHEME && this.saidFetching.has(d.uri.toString())) this.onDidChangeEmitter.fire(d.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const ids = d.uri.scheme === RESULT_SCHEME ? parseResultUri(d.uri) : undefined;
        if (!ids || ids.whole) return;
        this.saidFetching.delete(d.uri.toString());
        const k = taskKey(ids.serverId, ids.taskId);
        this.open.delete(k);
        this.release(k);
      }),
      registry.onDidChangeTasks((change) => {
        for (const t of change.changed) {
          const doc = this.open.get(taskKey(change.serverId, t.taskId));
          if (doc) this.onDidChangeEmitter.fire(doc.uri);
        }
      }),
      // A removed server's documents say so. A server removed and configured again is a new object (its
      // tasks read again) that knows nothing of the old one's holds: rendered again, the document holds it.
      registry.onDidChangeServers(() => {
        for (const [k, doc] of this.open) {
          if (this.registry.get(parseResultUri(doc.uri)!.serverId) === doc.server) continue;
          this.release(k);
          this.onDidChangeEmitter.fire(doc.uri);
        }
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ids = parseResultUri(uri);
    if (!ids) return 'This is not a task result address.';
    const server = this.registry.get(ids.serverId);
    if (ids.whole) return wholeText(server, ids.taskId);
    this.open.set(taskKey(ids.serverId, ids.taskId), { uri, server });
    if (!server) return `# Task ${ids.taskId}\n\nThe server "${ids.serverId}" is not configured any more.\n`;
    const task = server.store.get(ids.taskId);
    if (!task) return `# Task ${ids.taskId}\n\nThe server "${server.config.name}" has no task with this id.\n`;
    const k = taskKey(ids.serverId, ids.taskId);
    if (!isTerminal(task.status) && !this.holds.has(k)) this.holds.set(k, server.holdTask(task.taskId));
    const body = this.body(server, task, uri);
    if (body === FETCHING_TEXT) this.saidFetching.add(uri.toString());
    else this.saidFetching.delete(uri.toString());
    return `${header(server, task)}\n${body}`;
  }

  private body(server: TaskServerApi, task: TrackedTask, uri: vscode.Uri): string {
    const outcome = server.cachedOutcome(task.taskId);
    if (outcome?.kind === 'result') return outcomeToMarkdown(outcome);
    // A cancelled task has no result: the server's "no result stored" error is no news to the user.
    if (task.status === 'cancelled') {
      const at = formatLocalTime(task.lastUpdatedAt);
      return `## Cancelled

The task was cancelled${at ? ` at ${at}` : ''}. A cancelled task has no result.
`;
    }
    if (outcome) return outcomeToMarkdown(outcome);
    const k = taskKey(server.id, task.taskId);
    if (task.status === 'expired') return '_The server no longer knows this task, so its result cannot be fetched._\n';
    if (!isTerminal(task.status)) {
      return shownStatus(task) === 'input_required'
        ? '_The task is waiting for input. Answer the request (notification, or "Answer Input Request" in the tree); this document updates itself when the result arrives._\n'
        : '_The task is still working. This document updates itself when the result arrives._\n';
    }
    const error = this.fetchErrors.get(k);
    if (error) return `_The result could not be fetched:_\n\n${fenced(error)}\n`;
    if (!this.fetching.has(k)) {
      this.fetching.add(k);
      server
        .getTaskResult(task.taskId)
        .catch((e: unknown) => void this.fetchErrors.set(k, e instanceof Error ? e.message : String(e)))
        .finally(() => {
          this.fetching.delete(k);
          this.onDidChangeEmitter.fire(uri);
        });
    }
    return FETCHING_TEXT;
  }

  private release(k: string): void {
    this.holds.get(k)?.dispose();
    this.holds.delete(k);
  }

  dispose(): void {
    this.holds.forEach((h) => h.dispose());
    this.holds.clear();
    this.disposables.forEach((d) => d.dispose());
    this.onDidChangeEmitter.dispose();
  }
}

/**
 * The whole result as plain text. Only a finished task's cached result (the command fetches it first), so the
 * document never changes and is not followed like the Markdown one.
 */
function wholeText(server: TaskServerApi | undefined, taskId: string): string {
  const outcome = server?.cachedOutcome(taskId);
  return outcome ? outcomeWholeText(outcome) : `The result of task ${taskId} is not held here (any more): open the task's result document.\n`;
}

/**
 * The task's facts. The document opens rendered (Markdown preview), so server text is escaped only where
 * Markdown would read it as markup; times are local, as in the hover; the arguments are listed.
 */
function header(server: TaskServerApi, task: TrackedTask): string {
  const rows: [string, string | undefined][] = [
    ['Task', task.taskId],
    ['Server', server.config.name],
    ['Tool', task.toolName],
    ['Status', describeStatus(task)],
    ['Message', task.statusMessage],
    ['Created', formatLocalTime(task.createdAt)],
    ['Last updated', formatLocalTime(task.lastUpdatedAt)],
    ['TTL', formatDuration(task.ttl)],
    ['Poll interval', formatDuration(task.pollInterval)],
  ];
  const lines = rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `- **${k}:** ${inline(v!)}`);
  const args = taskArguments(task);
  const argSection = args ? `\n## Arguments\n\n${Object.keys(args).length ? fenced(JSON.stringify(args, null, 2), 'json') : '_None._'}\n` : '';
  return `# ${inline(taskTitle(task, 80))} — ${statusWords(shownStatus(task))}\n\n${lines.join('\n')}\n${argSection}`;
}

/**
 * Server text on one line, shown as text: the characters that start markup inside a line are escaped (the
 * values never start a line). A Markdown preview shows no backslashes; `-`, `.` and `:` in names and times
 * need none.
 */
function inline(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|~]/g, '\\$&');
}
