/**
 * Command-line arguments → a `Command`, or a `UsageError` whose message says what is wrong. Options may
 * come anywhere (before or after the command); `--` ends options, so a JSON argument that starts with '-'
 * can still be given.
 */

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
  | { readonly kind: 'get' | 'result' | 'cancel'; readonly server: string; readonly taskId: string }
  | {
      readonly kind: 'run';
      readonly server: string;
      readonly tool: string;
      readonly args: Record<string, unknown>;
      readonly wait: boolean;
      readonly ttlMs?: number;
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

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let config: string | undefined;
  let json = false;
  let verbose = false;
  let wait = false;
  let ttl: string | undefined;
  let help = false;
  let showVersion = false;
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    // A lone '-' and anything not starting with '-' are positionals (JSON arguments start with '{').
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const inline = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`${name} needs a value`);
      i++;
      return next;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
    };
    switch (name) {
      case '--config':
        config = takeValue();
        if (config === '') throw new UsageError(`${name} needs a file name`);
        break;
      case '--json':
        noValue();
        json = true;
        break;
      case '--verbose':
      case '-v':
        noValue();
        verbose = true;
        break;
      case '--wait':
        noValue();
        wait = true;
        break;
      case '--ttl':
        ttl = takeValue();
        break;
      case '--help':
      case '-h':
        noValue();
        help = true;
        break;
      case '--version':
        noValue();
        showVersion = true;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }

  const globals: GlobalOptions = { ...(config !== undefined && { config }), json, verbose };
  // --help wins over everything else, even a bad command: it is what someone who is lost types.
  if (help) return { ...globals, command: { kind: 'help' } };
  if (showVersion) return { ...globals, command: { kind: 'version' } };

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
  if (name !== 'run' && (wait || ttl !== undefined)) {
    throw new UsageError(`${wait ? '--wait' : '--ttl'} only applies to run`);
  }
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
    case 'result':
    case 'cancel':
      command = { kind: name, server, taskId: rest[1]! };
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
