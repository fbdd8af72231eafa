import * as vscode from 'vscode';
import type { ConnectionState, TrackedStatus } from '../core';

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
