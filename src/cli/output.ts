/**
 * What the CLI prints: aligned tables and key/value blocks for people, plain objects for `--json`. Task and
 * outcome wording comes from format/taskText so the terminal says what the editor says.
 */
import { clipLine, describeStatus, formatAge, formatDuration, type RawServerDefinition, type TaskOutcome, type ToolCallResult, type ToolInfo, type TrackedTask } from '../core';

/** Columns padded to their widest cell; the last column is never padded (no trailing blanks). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Server text on one line, at the width the CLI gives a message column. */
export function oneLine(text: string | undefined, max = 120): string {
  return clipLine(text, max);
}

/** The short status word for columns; `describeStatus` says the long form where there is room. */
export function statusWord(task: TrackedTask): string {
  return task.status === 'expired' ? 'expired' : describeStatus(task);
}

export function taskTable(tasks: readonly TrackedTask[], now = Date.now()): string {
  return table(
    ['ID', 'STATUS', 'AGE', 'TOOL', 'MESSAGE'],
    tasks.map((t) => [t.taskId, statusWord(t), formatAge(t.createdAt, now) || '-', t.toolName ?? '', oneLine(t.statusMessage ?? t.lastError)]),
  );
}

export function taskDetails(task: TrackedTask, now = Date.now()): string {
  const rows: Array<[string, string | undefined]> = [
    ['Task', task.taskId],
    ['Status', describeStatus(task)],
    ['Message', task.statusMessage],
    ['Tool', task.toolName],
    ['Created', task.createdAt && `${task.createdAt} (${formatAge(task.createdAt, now)} ago)`],
    ['Updated', task.lastUpdatedAt && `${task.lastUpdatedAt} (${formatAge(task.lastUpdatedAt, now)} ago)`],
    ['TTL', task.ttl === undefined ? undefined : formatDuration(task.ttl)],
    ['Poll every', task.pollInterval === undefined ? undefined : formatDuration(task.pollInterval)],
    ['Input asked', task.inputRequest && oneLine(task.inputRequest.message)],
    ['Error', task.lastError],
  ];
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

/** One line per status change, for `watch` and the progress of `run --wait`. */
export function statusLine(task: TrackedTask, at = new Date()): string {
  const time = at.toTimeString().slice(0, 8);
  const message = oneLine(task.statusMessage ?? task.lastError);
  return `${time}  ${task.taskId}  ${statusWord(task)}${message ? `  ${message}` : ''}`;
}

export function toolTable(tools: readonly ToolInfo[]): string {
  return table(
    ['TOOL', 'TASK SUPPORT', 'DESCRIPTION'],
    tools.map((t) => [t.name, t.taskSupport, oneLine(t.description ?? t.title, 80)]),
  );
}

export function serverTarget(def: RawServerDefinition): string {
  if (def.type === 'stdio') return [def.command, ...def.args].map(shellWord).join(' ');
  return def.url;
}

/** Quotes a word only when it would need it in a shell, to keep the common case readable. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./${}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function serverTable(defs: readonly RawServerDefinition[], invalid: readonly string[]): string {
  return table(['SERVER', 'TYPE', 'TARGET'], [...defs.map((d) => [d.name, d.type, serverTarget(d)]), ...invalid.map((name) => [name, '-', '(invalid: see the errors above)'])]);
}

/** The JSON form of a server definition: what was written, variables unresolved, no header or env values. */
export function serverJson(def: RawServerDefinition): Record<string, unknown> {
  if (def.type === 'stdio') {
    return { name: def.name, type: def.type, command: def.command, args: def.args, ...(def.cwd !== undefined && { cwd: def.cwd }), envNames: Object.keys(def.env) };
  }
  return { name: def.name, type: def.type, url: def.url, headerNames: Object.keys(def.headers) };
}

/**
 * Exit status of a finished task: 1 unless it completed with a result the tool did not mark as an error
 * (the 2025-11-25 spec ends a tool error as `failed`, but some servers say `completed` with `isError`).
 */
export function outcomeFailed(task: TrackedTask | undefined, outcome: TaskOutcome): boolean {
  if (task && (task.status === 'failed' || task.status === 'cancelled' || task.status === 'expired')) return true;
  return outcome.kind === 'error' || outcome.result.isError === true;
}

/** How much result text `run --wait` and `result` print before clipping (the rest: --output FILE). */
export const MAX_RESULT_CHARS = 1024 * 1024;

/**
 * A tool result as plain text for a terminal or a pipe: its text contents as they are, other content as a
 * one-line placeholder, the structured content as JSON only when there is nothing else. No headings and
 * no raw JSON copy (that is what --json prints). `clipped`: characters left out beyond `max`. `endWithNewline`: for a terminal; a file gets the text exactly.
 */
export function resultText(result: ToolCallResult, max = Infinity, endWithNewline = true): { text: string; clipped: number } {
  const parts: string[] = [];
  for (const c of Array.isArray(result.content) ? result.content : []) {
    if (c && c.type === 'text' && typeof c.text === 'string') parts.push(c.text);
    else if (c && typeof c === 'object') parts.push(`[${String(c.type)} content${typeof c.mimeType === 'string' ? `, ${c.mimeType}` : ''}${typeof c.uri === 'string' ? `: ${c.uri}` : ''}]`);
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2));
  let text = parts.join('\n');
  let clipped = 0;
  if (text.length > max) {
    clipped = text.length - max;
    text = text.slice(0, max);
  }
  return { text: !endWithNewline || text === '' || text.endsWith('\n') ? text : text + '\n', clipped };
}
