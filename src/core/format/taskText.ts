/**
 * Plain-text and Markdown renderings of tasks and their outcomes, shared by the result document, the hover
 * card and the CLI. Server-provided text is inserted verbatim inside code fences or as escaped text: it is
 * shown, never interpreted.
 */
import type { TaskOutcome, ToolCallResult, TrackedStatus, TrackedTask } from '../model/TaskModel';
import { jsonLengthAtLeast } from './jsonSize';

/** "3s", "4m", "2h", "5d": compact, for tree descriptions. */
export function formatAge(fromIso: string | undefined, now = Date.now()): string {
  const t = fromIso ? Date.parse(fromIso) : NaN;
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** "1.5 s", "2 min", "unlimited": for ttl and poll interval. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null) return 'unlimited';
  if (ms === undefined || !Number.isFinite(ms)) return 'not given';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${+(ms / 3_600_000).toFixed(1)} h`;
}

/** Time left before the server may delete the task, or undefined when it cannot be told. */
export function timeLeftMs(task: TrackedTask, now = Date.now()): number | undefined {
  if (task.ttl === null || task.ttl === undefined || !task.createdAt) return undefined;
  const created = Date.parse(task.createdAt);
  return Number.isFinite(created) ? created + task.ttl - now : undefined;
}

export function shortId(taskId: string): string {
  return taskId.length > 12 ? taskId.slice(0, 8) : taskId;
}

/** A fence longer than any backtick run in `text`, so server text cannot close it early. */
export function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** A status in words ("input required"), for lists and counts. */
export function statusWords(status: TrackedStatus): string {
  return status.replace('_', ' ');
}

/**
 * The status a person should see. A task whose question is open is waiting for input even before the
 * server's status says so: the question comes on the tasks/result stream, the status push or the next
 * poll that says input_required a moment later (and a server may never say it).
 */
export function shownStatus(task: Pick<TrackedTask, 'status' | 'inputRequest'>): TrackedStatus {
  return task.inputRequest !== undefined && task.status === 'working' ? 'input_required' : task.status;
}

/** One task's status in words, with what the extra statuses mean. */
export function describeStatus(task: TrackedTask): string {
  if (task.status === 'unknown') return `unknown ("${task.rawStatus ?? ''}")`;
  if (task.status === 'expired') return 'expired (the server no longer knows this task)';
  return statusWords(shownStatus(task));
}

export interface OutcomeTextOptions {
  /** Characters of content text kept before truncating (the full result stays available to save). */
  readonly maxTextChars?: number;
  /** Above this many characters of serialised result, the raw JSON section is left out. */
  readonly maxRawChars?: number;
}

const MB = 1024 * 1024;
/**
 * What the result document shows of a large result, in characters of text and of raw JSON. Opening a
 * document and rendering its Markdown preview cost VS Code time in proportion to its size (in the extension
 * host: 1 MB opened in 200–550 ms and its preview took 0.5–1.5 s of CPU; 256 KB opened in 80–100 ms); the
 * whole text opens as plain text on request (`outcomeWholeText`).
 */
const SHOWN_CHARS = 256 * 1024;

/** The outcome as Markdown: text content, other content summarised, structured content and raw result as JSON. */
export function outcomeToMarkdown(outcome: TaskOutcome, opts: OutcomeTextOptions = {}): string {
  const maxText = opts.maxTextChars ?? SHOWN_CHARS;
  const maxRaw = opts.maxRawChars ?? SHOWN_CHARS;
  if (outcome.kind === 'error') {
    return `## Error\n\n${errorLead(outcome)}\n\n${fenced(outcome.message)}\n`;
  }
  const r: ToolCallResult = outcome.result;
  const parts: string[] = [];
  if (r.isError) parts.push('## The tool reported an error\n');
  const { texts, truncated } = contentTexts(r, maxText);
  parts.push('## Content\n');
  parts.push(texts.length ? fenced(texts.join('\n\n'), 'text') : '_No content._');
  if (truncated > 0) {
    parts.push(`\n_${(truncated / MB).toFixed(1)} MB more text not shown. "MCP Tasks: Open Whole Task Result as Text" shows all of it; "MCP Tasks: Save Task Result…" keeps the whole result._`);
  }
  if (r.structuredContent !== undefined) {
    parts.push('\n## Structured content\n');
    parts.push(fenced(safeJson(r.structuredContent, maxRaw), 'json'));
  }
  parts.push('\n## Raw result\n');
  parts.push(fenced(safeJson(r, maxRaw), 'json'));
  return parts.join('\n') + '\n';
}

/**
 * The whole outcome as plain text, nothing clipped: the text content (other content summarised), then the
 * structured content as JSON. What "Open Whole Task Result as Text" shows.
 */
export function outcomeWholeText(outcome: TaskOutcome): string {
  if (outcome.kind === 'error') return `${errorLead(outcome)}\n\n${outcome.message}\n`;
  const { texts } = contentTexts(outcome.result, Infinity);
  if (outcome.result.structuredContent !== undefined) texts.push(`Structured content:\n${JSON.stringify(outcome.result.structuredContent, null, 2)}`);
  return texts.length ? texts.join('\n\n') : '(The result has no content.)\n';
}

function errorLead(outcome: Extract<TaskOutcome, { kind: 'error' }>): string {
  return `The server answered with an error${outcome.code !== undefined ? ` (code ${outcome.code})` : ''}:`;
}

/** Each content item as text (other content summarised), at most `budget` characters of text in all. */
function contentTexts(r: ToolCallResult, budget: number): { texts: string[]; truncated: number } {
  const content = Array.isArray(r.content) ? r.content : [];
  let truncated = 0;
  const texts: string[] = [];
  for (const c of content) {
    if (c && c.type === 'text' && typeof c.text === 'string') {
      const kept = c.text.length > budget ? c.text.slice(0, Math.max(0, budget)) : c.text;
      truncated += c.text.length - kept.length;
      budget -= kept.length;
      texts.push(kept);
    } else if (c && typeof c === 'object') {
      texts.push(`[${String(c.type)} content${typeof c.mimeType === 'string' ? `, ${c.mimeType}` : ''}${typeof c.uri === 'string' ? `: ${c.uri}` : ''}]`);
    }
  }
  return { texts, truncated };
}

/** JSON, or a note instead when it is too large to show comfortably. */
function safeJson(value: unknown, max: number): string {
  const atLeast = jsonLengthAtLeast(value, max);
  const text = atLeast <= max ? (JSON.stringify(value, null, 2) ?? 'undefined') : undefined;
  if (text !== undefined && text.length <= max) return text;
  return `// About ${(Math.max(atLeast, text?.length ?? 0) / MB).toFixed(1)} MB of JSON: too large to show here. Use "MCP Tasks: Save Task Result…".`;
}

/**
 * Server text on one line (status messages may hold newlines), cut to `max` characters with an ellipsis.
 * The cut falls after a whole word when one ends in the last ~40 % of the room: "Client cancelled task…"
 * reads, "Client cancelled task executi…" (seen in the e2e screenshots) does not.
 */
export function clipLine(text: string | undefined, max: number): string {
  const s = (text ?? '').replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  const room = s.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  const head = space >= max * 0.6 ? room.slice(0, space) : room;
  return `${head.replace(/[\s,;:.–—-]+$/, '') || room}…`;
}

/** A short single-line preview of an outcome (hover cards, notifications). */
export function outcomePreview(outcome: TaskOutcome, max = 200): string {
  if (outcome.kind === 'error') return `error: ${outcome.message}`.slice(0, max);
  const content = Array.isArray(outcome.result.content) ? outcome.result.content : [];
  const text = content.find((c) => c?.type === 'text' && typeof c.text === 'string')?.text;
  const raw = text ?? (outcome.result.structuredContent !== undefined ? JSON.stringify(outcome.result.structuredContent) : '(no text content)');
  // Only the start can be shown: don't flatten megabytes to keep 200 characters.
  return (outcome.result.isError ? 'tool error: ' : '') + clipLine(raw.slice(0, max * 2), max);
}

/**
 * The arguments a task was started with, when the model carries them (`toolArgs`, set for tasks started
 * here). Read loosely so hosts work before and after the model gains the field.
 */
export function taskArguments(task: TrackedTask): Record<string, unknown> | undefined {
  const args = (task as TrackedTask & { readonly toolArgs?: unknown }).toolArgs;
  return typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : undefined;
}

/** Argument names that usually say what a run is about, most telling first. */
const TELLING_ARGS = ['label', 'title', 'name', 'query', 'question', 'prompt', 'topic', 'text', 'message', 'path', 'file', 'url', 'id'];

/**
 * The one argument that best tells two runs of a tool apart, as short text: a well-named string argument,
 * else the first string, else the first number or boolean (`steps=3`). Undefined when there is none.
 */
export function tellingArgument(args: Record<string, unknown> | undefined): string | undefined {
  if (!args) return undefined;
  const entries = Object.entries(args);
  const str = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  for (const name of TELLING_ARGS) {
    const hit = entries.find(([k, v]) => k.toLowerCase() === name && str(v));
    if (hit) return clipLine(hit[1] as string, 40);
  }
  const firstString = entries.find(([, v]) => str(v));
  if (firstString) return clipLine(firstString[1] as string, 40);
  const scalar = entries.find(([, v]) => typeof v === 'number' || typeof v === 'boolean');
  return scalar ? `${scalar[0]}=${String(scalar[1])}` : undefined;
}

/**
 * What a task is, in a few words, for tree rows, pick lists and notifications: the tool and its most
 * telling argument for tasks started here ("slow-job: report"), the status message for tasks the server
 * started (the protocol does not say which tool), the short id when there is neither.
 */
export function taskTitle(task: TrackedTask, max = 32): string {
  if (task.toolName) {
    const arg = tellingArgument(taskArguments(task));
    return arg ? clipLine(`${task.toolName}: ${arg}`, max) : clipLine(task.toolName, max);
  }
  return clipLine(task.statusMessage, max) || `task ${shortId(task.taskId)}`;
}

/** A server time in the user's locale ("30/11/2026, 12:19:55"), as hovers and documents show it. */
export function formatLocalTime(iso: string | number | undefined): string | undefined {
  if (iso === undefined || iso === '') return undefined;
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(t)) return `${String(iso)} (not a valid time)`;
  return new Date(t).toLocaleString();
}
