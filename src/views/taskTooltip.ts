import * as vscode from 'vscode';
import { clipLine, describeStatus, formatDuration, outcomePreview, shownStatus, statusWords, taskArguments, taskTitle, type TaskOutcome, type TaskServerApi, timeLeftMs, type TrackedStatus, type TrackedTask } from '../core';
import { connectionLabel, generationLines } from './taskPresentation';

/**
 * The hover card for a task. Untrusted Markdown (no command links, no HTML); every server-provided string
 * goes through appendText so it is shown as text.
 */
export function taskTooltip(server: TaskServerApi, task: TrackedTask, outcome: TaskOutcome | undefined, now = Date.now()): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  const row = (label: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    md.appendMarkdown(`**${label}:** `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  };
  md.appendMarkdown('**');
  md.appendText(taskTitle(task, 80));
  md.appendMarkdown('** — ');
  md.appendText(describeStatus(task));
  md.appendMarkdown('\n\n');
  row('Id', task.taskId);
  row('Status', describeStatus(task));
  row('Message', task.statusMessage);
  row('Server', server.config.name);
  if (task.startedBy === 'vscode') row('Started by', 'VS Code (a tool call of its own MCP client, through MCP Tasks)');
  if (task.abandoned) row('Abandoned', 'VS Code stopped waiting for it; it runs on until it ends or you cancel it');
  row('Tool', task.toolName ?? (task.startedByUs ? undefined : 'not known (started elsewhere)'));
  const args = taskArguments(task);
  if (args && Object.keys(args).length) row('Arguments', clipLine(JSON.stringify(args), 300));
  row('Created', when(task.createdAt, now));
  row('Last updated', when(task.lastUpdatedAt, now));
  const left = timeLeftMs(task, now);
  row('TTL', `${formatDuration(task.ttl)}${left !== undefined ? (left > 0 ? ` (${formatDuration(left)} left)` : ' (past; the server may delete it)') : ''}`);
  row('Poll interval', formatDuration(task.pollInterval));
  row('Checked', `${relative(task.fetchedAt, now)}`);
  if (task.inputRequest) row('Waiting for input', task.inputRequest.message);
  if (task.lastError) row('Last error', task.lastError);
  if (outcome) {
    md.appendMarkdown('\n---\n\n**Result:** ');
    md.appendText(outcomePreview(outcome));
  }
  return md;
}

function when(iso: string | undefined, now: number): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return `${iso} (not a valid time)`;
  return `${new Date(t).toLocaleString()} (${relative(t, now)})`;
}

function relative(t: number, now: number): string {
  const s = Math.round((now - t) / 1000);
  const abs = Math.abs(s);
  const text = abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.floor(abs / 60)} min` : abs < 86_400 ? `${Math.floor(abs / 3600)} h` : `${Math.floor(abs / 86_400)} d`;
  return s >= 0 ? `${text} ago` : `in ${text}`;
}

/** Fresh on every hover: the breakdown by status, which the description leaves out. */
export function serverTooltip(server: TaskServerApi): vscode.MarkdownString {
  const counts = new Map<TrackedStatus, number>();
  for (const t of server.store.list()) {
    const status = shownStatus(t);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const tip = new vscode.MarkdownString(undefined, false);
  tip.appendMarkdown('**');
  tip.appendText(server.config.name);
  tip.appendMarkdown('**  \n');
  tip.appendText(`${server.config.type} · ${connectionLabel(server.state)}`);
  tip.appendMarkdown('  \n');
  tip.appendText(`from ${server.config.source}`);
  tip.appendMarkdown('  \n');
  for (const line of generationLines(server.state)) {
    tip.appendText(line);
    tip.appendMarkdown('  \n');
  }
  tip.appendText(counts.size ? [...counts].map(([status, n]) => `${n} ${statusWords(status)}`).join(', ') : 'no tasks');
  return tip;
}

