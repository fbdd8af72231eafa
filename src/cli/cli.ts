/**
 * One CLI run, from arguments to exit code: read the config, resolve and connect the one server the
 * command names, run the command, close everything. Process concerns (signals, exit) stay in main.ts so
 * this can be driven with any streams.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { clipLine, type ConfigError, DEFAULT_CORE_SETTINGS, type ElicitationHandler, errorMessage, type InputResolver, type LogLevel, type LogSink, ServerRegistry, type TaskServerApi } from '../core';
import { parseArgs, UsageError, type Command, type ParsedArgs } from './args';
import { cancelCommand, getCommand, listCommand, resultCommand, runCommand, toolsCommand, watchCommand, type CommandContext, type Output } from './commands';
import { fileErrors, readCliConfig, resolveNamedServer, type CliConfig } from './configFile';
import { Interrupted, ServerError } from './errors';
import { serverJson, serverTable } from './output';
import { JsonFileStorage, stateFileFor } from './JsonFileStorage';
import { declineElicitation, TerminalPrompter } from './terminal';
import { EXIT, USAGE, version, type ExitCode } from './usage';

export interface CliEnvironment {
  readonly io: Output;
  /** Rejects with `Interrupted` on Ctrl-C / SIGTERM; never resolves. */
  readonly interrupted: Promise<never>;
  /** Raises the interrupt as Ctrl-C does (for Ctrl-C typed at a prompt, which is a keypress, not a signal). */
  readonly interrupt: () => void;
  /** A person at a terminal can answer questions (inputs, elicitation). */
  readonly interactive: boolean;
  readonly cwd?: string;
}

/** How many of the server's recent log lines to show when it could not be used (without --verbose). */
const RECENT_LOG_LINES = 15;
/** An error or log line is clipped to this in a terminal (an HTML error page is quoted, not printed). */
const MAX_ERROR_CHARS = 240;

/** `[warn] srv: protocol error: REASON` repeats `shown` when some tail of it after a ': ' is part of it. */
function repeats(line: string, shown: string): boolean {
  for (let at = line.indexOf(': '); at >= 0; at = line.indexOf(': ', at + 2)) {
    const tail = line.slice(at + 2);
    if (tail.length >= 12 && shown.includes(tail)) return true;
  }
  return false;
}

/** 130 for Ctrl-C (SIGINT) or a closed stdout, 143 for SIGTERM: 128 + the signal, as shells report it. */
export function interruptedExit(e: Interrupted): ExitCode {
  return e.signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** Log lines on stderr with --verbose; otherwise the last few are kept to explain a failure. */
class CliLog implements LogSink {
  private readonly recent: string[] = [];

  constructor(
    private readonly verbose: boolean,
    private readonly io: Output,
  ) {}

  /** Trace and debug lines are only ever shown with --verbose: without it they are not even built. */
  isEnabled(level: LogLevel): boolean {
    return this.verbose || (level !== 'trace' && level !== 'debug');
  }

  log(level: LogLevel, serverId: string | undefined, message: string): void {
    const line = `[${level}]${serverId !== undefined ? ` ${serverId}:` : ''} ${message}`;
    if (this.verbose) {
      this.io.err(line + '\n');
      return;
    }
    if (level === 'trace' || level === 'debug') return;
    this.recent.push(line);
    if (this.recent.length > RECENT_LOG_LINES) this.recent.shift();
  }

  /**
   * After a server failure: what the server (e.g. its stderr) said last, leaving out the lines that only
   * repeat `shown`, the error already printed (an HTTP error page would otherwise appear three times).
   */
  explain(shown: string): void {
    if (this.verbose) return;
    const news = this.recent.filter((line) => !repeats(line, shown));
    if (news.length === 0) return;
    this.io.err(`Last log lines (--verbose shows all):\n${news.map((l) => `  ${clipLine(l, MAX_ERROR_CHARS)}`).join('\n')}\n`);
  }
}

export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<ExitCode> {
  const { io } = env;
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(io, e);
    throw e;
  }
  const { command } = parsed;
  if (command.kind === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    io.out(`${version()}\n`);
    return EXIT.ok;
  }

  let config: CliConfig;
  try {
    config = await readCliConfig(parsed.config, env.cwd);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(io, e);
    throw e;
  }
  printConfigErrors(io, fileErrors(config));
  if (command.kind === 'servers') return serversCommand(io, config, parsed.json);
  return serverCommand(parsed, command, config, env);
}

/** `hint`: the arguments were malformed (not e.g. a tool name the server lacks), so point at --help. */
function usageFailure(io: Output, e: UsageError, hint = true): ExitCode {
  io.err(`mcp-tasks: ${e.message}\n${hint ? "Run 'mcp-tasks --help' for usage.\n" : ''}`);
  return EXIT.usage;
}

function printConfigErrors(io: Output, errors: readonly ConfigError[]): void {
  // Each message already names the file (and line) and the server.
  for (const e of errors) io.err(`${e.message}\n`);
}

function serversCommand(io: Output, config: CliConfig, json: boolean): ExitCode {
  const { parsed } = config;
  if (!config.explicit && parsed.allNames.length === 0 && parsed.errors.length === 0) {
    io.err(`mcp-tasks: no servers: ${config.path} is missing or empty. Pass --config FILE to read another file.\n`);
    return EXIT.usage;
  }
  const usable = new Set(parsed.servers.map((s) => s.name));
  const invalid = [...new Set(parsed.allNames.filter((n) => !usable.has(n)))];
  // Problems inside server definitions (file-level ones were printed already).
  printConfigErrors(io, parsed.errors.filter((e) => e.server !== undefined));
  if (json) {
    io.out(JSON.stringify({ config: config.path, servers: parsed.servers.map(serverJson), invalid, errors: parsed.errors.map((e) => e.message) }, null, 2) + '\n');
  } else {
    io.out(parsed.allNames.length ? serverTable(parsed.servers, invalid) : `No servers in ${config.path}.\n`);
  }
  // The valid servers are listed either way; a script still learns that the file is not clean.
  return parsed.errors.length > 0 ? EXIT.server : EXIT.ok;
}

/** Without a terminal an `${input:...}` cannot be asked; the loader turns this into a message naming the input. */
const noTerminalInput: InputResolver = async () => {
  throw new Error('there is no terminal to ask on (stdin or stderr is not a TTY); run mcp-tasks interactively');
};

async function serverCommand(parsed: ParsedArgs, command: Exclude<Command, { kind: 'help' | 'version' | 'servers' }>, config: CliConfig, env: CliEnvironment): Promise<ExitCode> {
  const { io } = env;
  const prompter = env.interactive ? new TerminalPrompter(env.interrupt) : undefined;
  let resolved: Awaited<ReturnType<typeof resolveNamedServer>>;
  try {
    resolved = await Promise.race([resolveNamedServer(config, command.server, prompter?.resolveInput ?? noTerminalInput), env.interrupted]);
  } catch (e) {
    if (e instanceof Interrupted) return interruptedExit(e);
    throw e;
  }
  if (resolved.kind === 'unknown') {
    io.err(`mcp-tasks: ${resolved.message}\n`);
    return EXIT.usage;
  }
  printConfigErrors(io, resolved.errors);
  if (resolved.kind === 'invalid') {
    io.err(`mcp-tasks: server '${command.server}' cannot be used: its definition in ${config.path} has problems (above).\n`);
    return EXIT.server;
  }

  const serverConfig = resolved.server;
  const storage = new JsonFileStorage(stateFileFor(config.path), config.path);
  const log = new CliLog(parsed.verbose, io);
  const elicit: ElicitationHandler = prompter
    ? prompter.elicit
    : async (request) => {
        io.err(`${request.serverId}${request.taskId ? ` (task ${request.taskId})` : ''} asks for input: "${request.message}". Declined: there is no terminal to answer on.\n`);
        return declineElicitation(request);
      };
  const settings = DEFAULT_CORE_SETTINGS;
  // Concurrent runs share the state file and so the stored HTTP session: none of them may end it.
  // roots/list: the workspace folder (the project of a .vscode/mcp.json, else the current folder).
  const roots = [{ uri: pathToFileURL(config.workspaceFolder).href, name: path.basename(config.workspaceFolder) }];
  const registry = new ServerRegistry({ storage, log, elicit, settings: () => settings, sharedSessions: true, roots: () => roots });
  try {
    registry.setConfigs([serverConfig]);
    const server = registry.get(serverConfig.id);
    if (!server) throw new ServerError(`server '${serverConfig.name}' did not start`);
    await waitUntilConnected(server, settings.requestTimeoutMs + 5_000, env.interrupted);
    if (command.kind !== 'tools' && server.state.kind === 'connected' && server.state.capabilities.generation === 'none') {
      throw new ServerError(`${serverConfig.name} does not support MCP tasks (it declares no tasks capability)`);
    }
    const ctx: CommandContext = { server, json: parsed.json, io, interrupted: env.interrupted };
    switch (command.kind) {
      case 'tools':
        return await toolsCommand(ctx);
      case 'list':
        return await listCommand(ctx);
      case 'get':
        return await getCommand(ctx, command.taskId);
      case 'result':
        return await resultCommand(ctx, command.taskId, command.output);
      case 'cancel':
        return await cancelCommand(ctx, command.taskId);
      case 'run':
        return await runCommand(ctx, {
          tool: command.tool,
          args: command.args,
          wait: command.wait,
          ...(command.ttlMs !== undefined && { ttlMs: command.ttlMs }),
          ...(command.output !== undefined && { output: command.output }),
        });
      case 'watch':
        return await watchCommand(ctx);
    }
  } catch (e) {
    if (e instanceof Interrupted) return interruptedExit(e);
    if (e instanceof UsageError) return usageFailure(io, e, false);
    const message = errorMessage(e);
    // One line: a server's error page is quoted as a short excerpt (--verbose logs show it whole).
    io.err(`mcp-tasks: ${serverConfig.name}: ${clipLine(message, MAX_ERROR_CHARS)}\n`);
    log.explain(message);
    return EXIT.server;
  } finally {
    // Stops polls and timers, closes the connection (a stdio server process ends), writes known ids.
    await registry.dispose();
    await storage.flushed();
  }
}

/** Resolves once connected; a failed first attempt is final for a one-shot command (no waiting for retries). */
function waitUntilConnected(server: TaskServerApi, timeoutMs: number, interrupted: Promise<never>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      const state = server.state;
      if (state.kind === 'connected') done(() => resolve());
      else if (state.kind === 'failed') done(() => reject(new ServerError(state.reason)));
    };
    const subscription = server.onDidChangeState(check);
    const timer = setTimeout(() => done(() => reject(new ServerError(`cannot connect: no answer within ${Math.round(timeoutMs / 1000)} s`))), timeoutMs);
    let settled = false;
    function done(settle: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
      settle();
    }
    // Ctrl-C while connecting: stop waiting (and leave no timer behind to hold the process open).
    interrupted.catch((e: unknown) => done(() => reject(e)));
    check();
  });
}
