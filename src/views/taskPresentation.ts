import * as vscode from 'vscode';
import { clipLine, shownStatus, statusWords, taskTitle, type ConnectionState, type TrackedStatus, type TrackedTask } from '../core';

/**
 * A task's row in the tree: what it is (`taskTitle`: the tool and its most telling argument, or the status
 * message for tasks the server started), then the status message. No relative age: a row repaints only
 * when its task changes, so "3s" would freeze into a lie; the hover shows the times.
 */
/** A task's title fits beside the icon in the sidebar's default width (a server-made task's, with no message after it, a little more). */
export const ROW_TITLE_MAX = 26;
const ROW_TITLE_ALONE_MAX = 30;
/**
 * About what the default width shows of label and description together ("slow-job: asked by chat  VS Code"
 * just fits in the e2e screenshots); a message is fitted into the rest.
 */
const ROW_FIT = 32;
/** Less room than this: the message stays in the hover (a cut-off "wa…" tells nothing). */
const MIN_MESSAGE = 8;

export function taskRow(task: TrackedTask): { label: string; description: string; aria: string } {
  // We clip, with a clean "…" and the full text in the hover, rather than leave VS Code to cut the row
  // mid-word: e2e screenshots showed "needs-input: Which toast colou…" and a description cut to "wa…".
  const label = taskTitle(task, task.toolName ? ROW_TITLE_MAX : ROW_TITLE_ALONE_MAX);
  const state = task.status === 'expired' ? 'expired' : task.status === 'unknown' ? `status "${task.rawStatus ?? ''}"` : undefined;
  // Tasks VS Code's own client started through the bridge say so; one it stopped waiting for says that first.
  const origin = task.abandoned ? 'abandoned by VS Code' : task.startedBy === 'vscode' ? 'VS Code' : undefined;
  const fixed = [state, origin].filter(Boolean).join(' · ');
  // Without a tool the message is already the label. State and origin always show; the message gets the rest.
  const full = task.toolName ? clipLine(task.statusMessage, 80) : '';
  const room = ROW_FIT - label.length - (fixed ? fixed.length + 3 : 0);
  const message = room >= MIN_MESSAGE ? clipLine(full, room) : '';
  const description = [fixed, message].filter(Boolean).join(' · ');
  return { label, description, aria: [label, statusWords(shownStatus(task)), origin, full].filter(Boolean).join(', ') };
}

/** Codicon and theme colour for each status (what a glance at the tree tells). */
const STATUS_ICONS: Readonly<Record<TrackedStatus, readonly [icon: string, color: string]>> = {
  working: ['sync~spin', 'charts.blue'],
  input_required: ['bell-dot', 'list.warningForeground'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
  expired: ['history', 'disabledForeground'],
  unknown: ['question', 'list.warningForeground'],
};

export function statusIcon(status: TrackedStatus): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICONS[status] ?? STATUS_ICONS.unknown;
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
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

/**
 * What the server's protocol generation means for what the tree shows (the only place the UI names it:
 * everything else works the same on both).
 */
export function generationLines(state: ConnectionState): string[] {
  if (state.kind !== 'connected') return [];
  const { generation, list } = state.capabilities;
  if (generation === 'none') return ['no task support: its tools run as plain calls'];
  const lines = [generation === '2026-07-28' ? 'MCP 2026-07-28 (tasks extension)' : 'MCP 2025-11-25 (tasks in the core protocol)'];
  if (!list) lines.push('This server cannot list its tasks: only tasks started here are shown.');
  return lines;
}
