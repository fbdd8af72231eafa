/**
 * Command-line arguments → a `Command`, or a `UsageError` whose message says what is wrong. Tokens come
 * from `node:util` `parseArgs`; this file only checks them and says what is wrong in our words. Options may
 * come anywhere (before or after the command); `--` ends options, so a JSON argument that starts with '-'
 * can still be given.
 */
import { parseArgs as parseTokens } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface GlobalOptions {
  readonly config?: string;
  readonly json: boolean;
  readonly verbose: boolean;
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'servers' }
  | { readonly kind: 'tools'; readonly server: string }
  | { readonly kind: 'list'; readonly server: string }
  | { readonly kind: 'get' | 'cancel'; readonly server: string; readonly taskId: string }
  | { readonly kind: 'result'; readonly server: string; readonly taskId: string; readonly output?: string }
  | {
      readonly kind: 'run';
      readonly server: string;
      readonly tool: string;
      readonly args: Record<string, unknown>;
      readonly wait: boolean;
      readonly ttlMs?: number;
      readonly output?: string;
    }
  | { readonly kind: 'watch'; readonly server: string };

export type ParsedArgs = GlobalOptions & { readonly command: Command };

/** Positional arguments each command takes: [required, optional]. */
const ARITY: Record<string, readonly [string[], string[]]> = {
  servers: [[], []],
  tools: [['SERVER'], []],
  list: [['SERVER'], []],
  get: [['SERVER', 'ID'], []],
  result: [['SERVER', 'ID'], []],
  cancel: [['SERVER', 'ID'], []],
  run: [['SERVER', 'TOOL'], ['JSON_ARGS']],
  watch: [['SERVER'], []],
};

export const COMMANDS = Object.keys(ARITY);

const OPTIONS = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  wait: { type: 'boolean' },
  ttl: { type: 'string' },
  output: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Options that only some commands take, and which. */
const COMMAND_OPTIONS: Record<string, readonly string[]> = { wait: ['run'], ttl: ['run'], output: ['run', 'result'] };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  // Not strict: unknown options and missing values come back as tokens, so the messages below are ours
  // (and name the option as it was typed).
  const { values, positionals, tokens } = parseTokens({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = (OPTIONS as Record<string, { type: 'string' | 'boolean' }>)[token.name];
    if (!option) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    if (option.type === 'string' && token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const config = str(values.config);
  if (config === '') throw new UsageError('--config needs a file name');
  const json = values.json === true;
  const verbose = values.verbose === true;
  const wait = values.wait === true;
  const ttl = str(values.ttl);
  const output = str(values.output);
  if (output === '') throw new UsageError('--output needs a file name');

  const globals: GlobalOptions = { ...(config !== undefined && { config }), json, verbose };
  // --help wins over everything else, even a bad command: it is what someone who is lost types.
  if (values.help === true) return { ...globals, command: { kind: 'help' } };
  if (values.version === true) return { ...globals, command: { kind: 'version' } };

  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('no command given');
  if (name === 'help') return { ...globals, command: { kind: 'help' } };
  const arity = ARITY[name];
  if (!arity) throw new UsageError(`unknown command '${name}' (commands: ${COMMANDS.join(', ')})`);
  const [required, optional] = arity;
  if (rest.length < required.length) {
    throw new UsageError(`${name} needs ${required.slice(rest.length).join(' and ')}: mcp-tasks ${name} ${[...required, ...optional.map((o) => `[${o}]`)].join(' ')}`);
  }
  if (rest.length > required.length + optional.length) {
    throw new UsageError(`${name} takes ${required.length + optional.length} argument(s), got extra: ${rest.slice(required.length + optional.length).join(' ')}`);
  }
  for (const [option, commands] of Object.entries(COMMAND_OPTIONS)) {
    if (values[option] !== undefined && !commands.includes(name)) throw new UsageError(`--${option} only applies to ${commands.join(' and ')}`);
  }
  if (name === 'run' && output !== undefined && !wait) throw new UsageError('--output needs --wait: without it run prints only the task id');
  for (const [i, value] of rest.entries()) {
    if (value.trim() === '' && i < required.length) throw new UsageError(`${name}: ${required[i]} is empty`);
  }

  const server = rest[0]!;
  let command: Command;
  switch (name) {
    case 'servers':
      command = { kind: 'servers' };
      break;
    case 'tools':
    case 'list':
    case 'watch':
      command = { kind: name, server };
      break;
    case 'get':
    case 'cancel':
      command = { kind: name, server, taskId: rest[1]! };
      break;
    case 'result':
      command = { kind: name, server, taskId: rest[1]!, ...(output !== undefined && { output }) };
      break;
    default: {
      const ttlMs = ttl === undefined ? undefined : parseTtl(ttl);
      command = {
        kind: 'run',
        server,
        tool: rest[1]!,
        args: parseJsonArgs(rest[2]),
        wait,
        ...(ttlMs !== undefined && { ttlMs }),
        ...(output !== undefined && { output }),
      };
    }
  }
  return { ...globals, command };
}

function parseTtl(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1) {
    throw new UsageError(`--ttl needs a whole number of milliseconds (at least 1), got '${text}'`);
  }
  return n;
}

/** The tool's arguments: a JSON object (absent = `{}`). */
export function parseJsonArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`JSON_ARGS is not valid JSON (${e instanceof Error ? e.message : String(e)}): ${text}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`JSON_ARGS must be a JSON object such as '{"topic":"x"}', got: ${text}`);
  }
  return value as Record<string, unknown>;
}
