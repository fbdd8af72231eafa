/**
 * The commands that talk to one connected server. Each returns its exit code; a thrown error becomes exit
 * 3 (server) unless it is a UsageError (2) or Interrupted. Results go to stdout, progress and notes to
 * stderr, so `mcp-tasks run ... > out.md` keeps only the result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage, isTerminal, type TaskOutcome, type TaskServerApi, type ToolInfo, type TrackedTask } from '../core';
import { UsageError } from './args';
import { errorCode, INVALID_PARAMS, Interrupted, ServerError } from './errors';
import { MAX_RESULT_CHARS, oneLine, outcomeFailed, resultText, statusLine, statusWord, taskDetails, taskTable, toolTable } from './output';
import { EXIT, type ExitCode } from './usage';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandContext {
  readonly server: TaskServerApi;
  readonly json: boolean;
  readonly io: Output;
  /** Rejects with `Interrupted` on Ctrl-C; every wait races against it. Never resolves. */
  readonly interrupted: Promise<never>;
}

function race<T>(ctx: CommandContext, work: Promise<T>): Promise<T> {
  return Promise.race([work, ctx.interrupted]);
}

function printJson(ctx: CommandContext, value: unknown): void {
  ctx.io.out(JSON.stringify(value, null, 2) + '\n');
}

/** A `tasks/list` page cap for `list`: far beyond any real inventory, but never an endless loop. */
const MAX_PAGES = 200;

export async function toolsCommand(ctx: CommandContext): Promise<ExitCode> {
  const tools = await race(ctx, ctx.server.listTools());
  if (ctx.json) {
    printJson(ctx, tools);
  } else {
    ctx.io.out(tools.length ? toolTable(tools) : 'The server has no tools.\n');
    if (ctx.server.state.kind === 'connected' && !ctx.server.state.capabilities.toolCall) {
      ctx.io.err('Note: this server does not accept tools as tasks (no tasks.requests.tools.call capability).\n');
    }
  }
  return EXIT.ok;
}

export async function listCommand(ctx: CommandContext): Promise<ExitCode> {
  const { server } = ctx;
  await race(ctx, server.refresh());
  // The sweep also asks about every id remembered from earlier runs (a new stdio server: expired).
  for (let page = 0; server.hasMore && page < MAX_PAGES; page++) await race(ctx, server.loadMore());
  const tasks = server.store.list();
  if (ctx.json) {
    printJson(ctx, tasks);
    return EXIT.ok;
  }
  if (server.state.kind === 'connected' && !server.state.capabilities.list) {
    ctx.io.err('Note: this server cannot list tasks; showing the tasks started with mcp-tasks.\n');
  }
  ctx.io.out(tasks.length ? taskTable(tasks) : 'No tasks.\n');
  return EXIT.ok;
}

export async function getCommand(ctx: CommandContext, taskId: string): Promise<ExitCode> {
  // Known before asking: started by an earlier run (remembered) or shown by the server's list.
  const knew = ctx.server.store.get(taskId) !== undefined;
  const task = await race(ctx, ctx.server.getTaskStatus(taskId));
  // Expired is for a task we knew and the server has since forgotten; an id nobody knows is a mistake.
  if (task.status === 'expired' && !knew) {
    if (ctx.json) printJson(ctx, { taskId, status: 'unknown' });
    ctx.io.err(`mcp-tasks: unknown task ${taskId}: ${ctx.server.config.name} does not know it, and it was never started or seen here (check the id).\n`);
    return EXIT.unknownTask;
  }
  if (ctx.json) printJson(ctx, task);
  else ctx.io.out(taskDetails(task));
  return EXIT.ok;
}

export async function cancelCommand(ctx: CommandContext, taskId: string): Promise<ExitCode> {
  const { server } = ctx;
  if (server.state.kind === 'connected' && !server.state.capabilities.cancel) {
    throw new ServerError(`${server.config.name} does not support cancelling tasks (no tasks.cancel capability)`);
  }
  let task: TrackedTask;
  try {
    task = await race(ctx, server.cancelTask(taskId));
  } catch (e) {
    // -32602: the task is over or unknown (the core has looked which and says so in the message).
    if (errorCode(e) !== INVALID_PARAMS) throw e;
    const now = server.store.get(taskId);
    if (ctx.json && now) printJson(ctx, now);
    ctx.io.err(`mcp-tasks: ${errorMessage(e)}\n`);
    return EXIT.taskFailed;
  }
  if (ctx.json) printJson(ctx, task);
  else ctx.io.out(`${task.taskId}  ${statusWord(task)}${task.statusMessage ? `  ${oneLine(task.statusMessage)}` : ''}\n`);
  return EXIT.ok;
}

function describeEnd(task: TrackedTask): string {
  return task.status === 'expired' ? 'not known to the server (expired, or the server restarted)' : `already ${statusWord(task)}`;
}

/** `output`: the file --output names, which gets the whole result instead of stdout. */
export async function resultCommand(ctx: CommandContext, taskId: string, output?: string): Promise<ExitCode> {
  return printOutcome(ctx, taskId, await waitForOutcome(ctx, taskId), output);
}

export interface RunOptions {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly wait: boolean;
  readonly ttlMs?: number;
  /** --output FILE (with --wait): the whole result goes there instead of stdout. */
  readonly output?: string;
}

export async function runCommand(ctx: CommandContext, opts: RunOptions): Promise<ExitCode> {
  const { server } = ctx;
  if (server.state.kind === 'connected' && !server.state.capabilities.toolCall) {
    throw new ServerError(`${server.config.name} does not accept tools as tasks (no tasks.requests.tools.call capability)`);
  }
  const tools = await race(ctx, server.listTools());
  checkTool(tools, opts.tool, server.config.name);
  const task = await race(ctx, server.callToolAsTask(opts.tool, opts.args, opts.ttlMs));
  const stdio = server.config.type === 'stdio';
  if (!opts.wait) {
    if (ctx.json) printJson(ctx, task);
    else ctx.io.out(`${task.taskId}\n`);
    // A stdio server lives only as long as this command: say so rather than let the id mislead.
    if (stdio) ctx.io.err(`Note: ${server.config.name} is a stdio server started for this command only; it stops now, and its task with it. Use --wait to see the task through.\n`);
    return EXIT.ok;
  }
  // What Ctrl-C does differs: a stdio server is our child and ends with us; an HTTP server keeps the task.
  ctx.io.err(
    `Started ${opts.tool} as task ${task.taskId}; waiting ${stdio ? '(Ctrl-C stops the server, and the task with it)' : '(Ctrl-C stops waiting; the task goes on on the server)'}.\n`,
  );
  const progress = showProgress(ctx, task);
  try {
    return await printOutcome(ctx, task.taskId, await waitForOutcome(ctx, task.taskId), opts.output);
  } catch (e) {
    if (e instanceof Interrupted) {
      ctx.io.err(
        stdio
          ? `Stopped waiting. ${server.config.name} is a stdio server started for this command: it stops now, and task ${task.taskId} with it.\n`
          : `Stopped waiting. The task goes on: mcp-tasks result ${server.config.name} ${task.taskId}\n`,
      );
    }
    throw e;
  } finally {
    progress.dispose();
  }
}

/** An unknown tool or one that cannot run as a task is the user's mistake (exit 2), said before asking the server. */
function checkTool(tools: readonly ToolInfo[], name: string, serverName: string): void {
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    const usable = tools.filter((t) => t.taskSupport !== 'forbidden').map((t) => t.name);
    throw new UsageError(`${serverName} has no tool '${name}'${usable.length ? ` (tools that run as tasks: ${usable.join(', ')})` : ''}`);
  }
  if (tool.taskSupport === 'forbidden') {
    throw new UsageError(`${serverName}'s tool '${name}' cannot run as a task (taskSupport: forbidden)`);
  }
}

/** Status changes of one task on stderr, each visible change once. */
function showProgress(ctx: CommandContext, first: TrackedTask): { dispose(): void } {
  let last = visibleKey(first);
  ctx.io.err(statusLine(first) + '\n');
  return ctx.server.store.onDidChange((change) => {
    for (const t of change.changed) {
      if (t.taskId !== first.taskId) continue;
      const key = visibleKey(t);
      if (key === last) continue;
      last = key;
      ctx.io.err(statusLine(t) + '\n');
    }
  });
}

/** What a status line shows: a change to anything else (e.g. the pending input request) prints nothing. */
function visibleKey(t: TrackedTask): string {
  return JSON.stringify([statusWord(t), oneLine(t.statusMessage ?? t.lastError)]);
}

/**
 * The task's outcome; `tasks/result` blocks while the task runs. The core asks again after a request
 * timeout and reports failures as `error` outcomes; a rejection here would be a plain request failure.
 */
function waitForOutcome(ctx: CommandContext, taskId: string): Promise<TaskOutcome> {
  return race(ctx, ctx.server.getTaskResult(taskId));
}

/** The latest status, asking the server when the store does not show the task as over yet. */
async function finalStatus(ctx: CommandContext, taskId: string): Promise<TrackedTask | undefined> {
  const held = ctx.server.store.get(taskId);
  if (held && isTerminal(held.status)) return held;
  try {
    return await race(ctx, ctx.server.getTaskStatus(taskId));
  } catch (e) {
    if (e instanceof Interrupted) throw e;
    return ctx.server.store.get(taskId);
  }
}

async function printOutcome(ctx: CommandContext, taskId: string, outcome: TaskOutcome, output?: string): Promise<ExitCode> {
  const task = await finalStatus(ctx, taskId);
  // An error outcome for a task that has not ended (not connected, request failed) is about the server,
  // not the task: exit 3. For an ended task (cancelled: "no result stored"; expired: unknown id) it is the
  // task's end: exit 1.
  if (outcome.kind === 'error' && !(task && isTerminal(task.status))) {
    throw new ServerError(`could not get the result of task ${taskId}: ${outcome.message}`);
  }
  if (outcome.kind === 'error' && !ctx.json) {
    ctx.io.err(`Task ${taskId} has no result: it is ${task ? describeEnd(task) : 'not known'} (${outcome.message}).\n`);
  } else if (output !== undefined) {
    // The whole result, never clipped: what stdout would show (JSON with --json, else the text).
    const text = ctx.json ? JSON.stringify({ task: task ?? null, outcome }, null, 2) + '\n' : outcome.kind === 'result' ? resultText(outcome.result, Infinity, false).text : '';
    const file = path.resolve(output);
    try {
      await fs.promises.writeFile(file, text);
    } catch (e) {
      throw new UsageError(`--output: cannot write ${file}: ${errorMessage(e)}`);
    }
    ctx.io.err(`Wrote the result of task ${taskId} (${text.length} characters) to ${file}.\n`);
  } else if (ctx.json) {
    printJson(ctx, { task: task ?? null, outcome });
  } else if (outcome.kind === 'result') {
    const { text, clipped } = resultText(outcome.result, MAX_RESULT_CHARS);
    ctx.io.out(text);
    if (clipped > 0) {
      ctx.io.err(`mcp-tasks: ${(clipped / (1024 * 1024)).toFixed(1)} MB more text not shown. For the whole result: --output FILE writes it to a file, --json prints all of it.\n`);
    }
  }
  const failed = outcomeFailed(task, outcome);
  if (failed && !ctx.json && outcome.kind === 'result') {
    ctx.io.err(`Task ${taskId} ${task ? statusWord(task) : 'ended'}${task?.statusMessage ? `: ${oneLine(task.statusMessage)}` : ''}.\n`);
  }
  return failed ? EXIT.taskFailed : EXIT.ok;
}

/** Status changes of every task of the server as they happen, until Ctrl-C (which is the normal end: exit 0). */
export async function watchCommand(ctx: CommandContext): Promise<ExitCode> {
  const { server } = ctx;
  const shown = new Map<string, string>();
  // Changes during the first sweep are part of the snapshot printed after it, not news.
  let ready = false;
  let keepAlive: NodeJS.Timeout | undefined;
  const emit = (event: 'snapshot' | 'changed', t: TrackedTask) => {
    const key = visibleKey(t);
    if (shown.get(t.taskId) === key) return;
    shown.set(t.taskId, key);
    if (ctx.json) ctx.io.out(JSON.stringify({ event, task: t }) + '\n');
    else if (event === 'changed') ctx.io.out(statusLine(t) + '\n');
  };
  const subscriptions = [
    server.store.onDidChange((change) => {
      if (!ready) return;
      for (const t of change.changed) emit('changed', t);
    }),
    server.onDidChangeState((state) => {
      if (state.kind === 'failed') ctx.io.err(`${server.config.name}: ${state.reason}; trying again${state.retryAt ? ` in ${Math.max(0, Math.round((state.retryAt - Date.now()) / 1000))} s` : ''}\n`);
      else if (state.kind === 'connected') ctx.io.err(`${server.config.name}: connected again\n`);
    }),
  ];
  try {
    await race(ctx, server.refresh());
    const tasks = server.store.list();
    if (!ctx.json) {
      ctx.io.out(tasks.length ? taskTable(tasks) : 'No tasks yet.\n');
      ctx.io.err('Watching for changes; Ctrl-C to stop.\n');
    }
    for (const t of [...tasks].reverse()) {
      if (!ctx.json) shown.set(t.taskId, visibleKey(t));
      else emit('snapshot', t);
    }
    ready = true;
    // The core's timers are unref'd (a library must not hold a process open), and a 2026-07-28 server over
    // HTTP holds no connection between requests: without this, Node would find nothing left to wait for and
    // end the watch right after the first listing.
    keepAlive = setInterval(() => undefined, 60_000);
    await ctx.interrupted;
    return EXIT.ok;
  } catch (e) {
    // Ctrl-C (or a closed stdout) is how watch normally ends; SIGTERM is a stop from outside.
    if (e instanceof Interrupted) return e.signal === 'SIGTERM' ? EXIT.terminated : EXIT.ok;
    throw e;
  } finally {
    clearInterval(keepAlive);
    for (const s of subscriptions) s.dispose();
  }
}
