import * as vscode from 'vscode';
import { clipLine, statusWords, taskTitle, type ConnectionState, type TrackedStatus, type TrackedTask } from '../core';

/**
 * A task's row in the tree: what it is (`taskTitle`: the tool and its most telling argument, or the status
 * message for tasks the server started), then the status message. No relative age: a row repaints only
 * when its task changes, so "3s" would freeze into a lie; the hover shows the times.
 */
export function taskRow(task: TrackedTask): { label: string; description: string; aria: string } {
  const label = taskTitle(task);
  const state = task.status === 'expired' ? 'expired' : task.status === 'unknown' ? `status "${task.rawStatus ?? ''}"` : undefined;
  // Without a tool the message is already the label.
  const message = task.toolName ? clipLine(task.statusMessage, 80) : '';
  const description = [state, message].filter(Boolean).join(' · ');
  return { label, description, aria: [label, statusWords(task.status), message].filter(Boolean).join(', ') };
}

/** Codicon and theme colour for each status (what a glance at the tree tells). */
export function statusIcon(status: TrackedStatus): vscode.ThemeIcon {
  switch (status) {
    case 'working':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'input_required':
      return new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('list.warningForeground'));
    case 'completed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'expired':
      return new vscode.ThemeIcon('history', new vscode.ThemeColor('disabledForeground'));
    default:
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
  }
}

export function connectionIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'connected':
      return new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('testing.iconPassed'));
    case 'connecting':
      return new vscode.ThemeIcon('loading~spin');
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    default:
      return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('disabledForeground'));
  }
}

export function connectionLabel(state: ConnectionState): string {
  switch (state.kind) {
    case 'connected':
      return 'connected';
    case 'connecting':
      return state.attempt > 1 ? `reconnecting (attempt ${state.attempt})` : 'connecting';
    case 'failed':
      return `failed: ${state.reason}`;
    default:
      return state.reason ? `disconnected: ${state.reason}` : 'disconnected';
  }
}

/** The server row's description: the task count when connected (the icon says connected), else the state in a word. */
export function connectionShort(state: ConnectionState): string {
  switch (state.kind) {
    case 'connected':
      return '';
    case 'connecting':
      return state.attempt > 1 ? 'reconnecting…' : 'connecting…';
    default:
      return state.kind;
  }
}
