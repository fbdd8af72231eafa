/**
 * One server's definition, as written, checked field by field. Shape-agnostic: VS Code's `servers` entries
 * and Claude Desktop / Cursor `mcpServers` entries differ only in which keys are customary.
 */
import type { RawServerDefinition, TextPosition } from './definitions';
import { PROTOCOL_GENERATIONS, type ProtocolGeneration } from './ServerConfig';
import { suggestKey } from './typoHints';
import { has, isRecord, jsonKind, own, type JsonRecord } from './values';

const STDIO_KEYS = ['command', 'args', 'env', 'envFile', 'cwd'] as const;
const HTTP_KEYS = ['url', 'headers'] as const;
const KNOWN_KEYS: readonly string[] = ['type', 'transport', 'protocol', ...STDIO_KEYS, ...HTTP_KEYS];
/** Keys other clients write that sit one edit from ours ("dev" vs "env"); they are not typos. */
const FOREIGN_KEYS: readonly string[] = ['dev'];

/** Other clients' names for the transports (Claude Code, Cursor, the SDK's own naming). */
const TYPE_NAMES: Readonly<Record<string, 'stdio' | 'http' | 'sse'>> = {
  stdio: 'stdio',
  http: 'http',
  sse: 'sse',
  'streamable-http': 'http',
  streamable_http: 'http',
  streamablehttp: 'http',
};

/** Reports one problem; `path` is inside the server (e.g. ['args', 2]) so the host can point at it. */
export type ServerProblemReporter = (problem: string, path?: readonly (string | number)[]) => void;

/** Returns undefined when the server cannot be used; every reason has been reported. */
export function validateServer(name: string, value: unknown, report: ServerProblemReporter, position?: TextPosition): RawServerDefinition | undefined {
  if (name.trim() === '') {
    report('the server name is empty; give it a name');
    return undefined;
  }
  if (!isRecord(value)) {
    report(`the definition must be an object with "command" or "url", not ${jsonKind(value)}`);
    return undefined;
  }
  reportTypos(value, report);
  const type = transportOf(value, report);
  if (type === undefined) return undefined;
  for (const key of type === 'stdio' ? HTTP_KEYS : STDIO_KEYS) {
    if (has(value, key)) report(`"${key}" is ignored: it only applies to ${type === 'stdio' ? 'http and sse' : 'stdio'} servers`, [key]);
  }
  const protocol = protocolOf(value, type, report);
  if (protocol === null) return undefined;
  const base = { name, ...(position ? { position } : {}), ...(protocol !== undefined ? { protocol } : {}) };
  if (type === 'stdio') {
    const command = requiredString(value, 'command', report);
    const args = stringArray(value, 'args', report);
    const env = stringMap(value, 'env', report);
    const envFile = optionalString(value, 'envFile', report);
    const cwd = optionalString(value, 'cwd', report);
    if (command === undefined || args === undefined || env === undefined || envFile === null || cwd === null) return undefined;
    return { ...base, type, command, args, env, ...(envFile !== undefined && { envFile }), ...(cwd !== undefined && { cwd }) };
  }
  const url = requiredString(value, 'url', report);
  const headers = stringMap(value, 'headers', report);
  if (url === undefined || headers === undefined) return undefined;
  return { ...base, type, url, headers };
}

function transportOf(value: JsonRecord, report: ServerProblemReporter): 'stdio' | 'http' | 'sse' | undefined {
  const key = has(value, 'type') ? 'type' : has(value, 'transport') ? 'transport' : undefined;
  if (key !== undefined) {
    const written = own(value, key);
    if (typeof written !== 'string') {
      report(`"${key}" must be a string (stdio, http or sse), not ${jsonKind(written)}`, [key]);
      return undefined;
    }
    const type = TYPE_NAMES[written.toLowerCase()];
    if (type === undefined) report(`type "${written}" is not supported; use stdio, http or sse`, [key]);
    return type;
  }
  const hasCommand = has(value, 'command');
  const hasUrl = has(value, 'url');
  if (hasCommand && hasUrl) {
    report('it has both "command" and "url"; keep "command" for a local process or "url" for a remote server, or set "type"');
    return undefined;
  }
  if (hasCommand) return 'stdio';
  if (hasUrl) return 'http';
  report('it has neither "command" (to start a local process) nor "url" (to reach a remote server)');
  return undefined;
}

/** undefined = absent (detect), null = unusable (reported: a wrong pin must not silently become detection). */
function protocolOf(value: JsonRecord, type: 'stdio' | 'http' | 'sse', report: ServerProblemReporter): ProtocolGeneration | null | undefined {
  if (!has(value, 'protocol')) return undefined;
  const written = own(value, 'protocol');
  if (typeof written !== 'string' || !(PROTOCOL_GENERATIONS as readonly string[]).includes(written)) {
    report(`"protocol" must be one of ${PROTOCOL_GENERATIONS.map((g) => `"${g}"`).join(', ')} (or left out to detect it), not ${typeof written === 'string' ? `"${written}"` : jsonKind(written)}`, ['protocol']);
    return null;
  }
  if (written === '2026-07-28' && type === 'sse') {
    report('"protocol": "2026-07-28" needs a stdio or Streamable HTTP server; legacy SSE speaks 2025-11-25 at most', ['protocol']);
    return null;
  }
  return written as ProtocolGeneration;
}

function reportTypos(value: JsonRecord, report: ServerProblemReporter): void {
  for (const key of Object.keys(value)) {
    if (KNOWN_KEYS.includes(key) || FOREIGN_KEYS.includes(key)) continue;
    const meant = suggestKey(key, KNOWN_KEYS);
    if (meant !== undefined) report(`unknown key "${key}" — did you mean "${meant}"?`, [key]);
  }
}

function requiredString(value: JsonRecord, key: string, report: ServerProblemReporter): string | undefined {
  if (!has(value, key)) {
    report(`"${key}" is missing`);
    return undefined;
  }
  const written = own(value, key);
  if (typeof written !== 'string' || written.trim() === '') {
    report(typeof written === 'string' ? `"${key}" is empty` : `"${key}" must be a string, not ${jsonKind(written)}`, [key]);
    return undefined;
  }
  return written;
}

/** undefined = absent, null = present but wrong (already reported). */
function optionalString(value: JsonRecord, key: string, report: ServerProblemReporter): string | null | undefined {
  if (!has(value, key)) return undefined;
  const written = own(value, key);
  if (typeof written === 'string') return written;
  report(`"${key}" must be a string, not ${jsonKind(written)}`, [key]);
  return null;
}

function stringArray(value: JsonRecord, key: string, report: ServerProblemReporter): string[] | undefined {
  if (!has(value, key)) return [];
  const written = own(value, key);
  if (!Array.isArray(written)) {
    report(`"${key}" must be an array of strings, not ${jsonKind(written)}`, [key]);
    return undefined;
  }
  const bad = written.findIndex((item) => typeof item !== 'string');
  if (bad >= 0) {
    report(`"${key}" must be an array of strings, but item ${bad + 1} is ${jsonKind(written[bad])}`, [key, bad]);
    return undefined;
  }
  return written as string[];
}

/**
 * env and headers. Numbers are accepted and turned into strings, as VS Code does for env ("PORT": 8080);
 * anything else is refused. Messages name the key, never the value: these are where secrets live.
 */
function stringMap(value: JsonRecord, key: 'env' | 'headers', report: ServerProblemReporter): Record<string, string> | undefined {
  if (!has(value, key)) return {};
  const written = own(value, key);
  if (!isRecord(written)) {
    report(`"${key}" must be an object of names to string values, not ${jsonKind(written)}`, [key]);
    return undefined;
  }
  const entries: [string, string][] = [];
  let ok = true;
  for (const name of Object.keys(written)) {
    const item = own(written, name);
    if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) {
      entries.push([name, String(item)]);
    } else {
      report(`${key === 'env' ? 'env variable' : 'header'} '${name}' must be a string, not ${jsonKind(item)}`, [key, name]);
      ok = false;
    }
  }
  // fromEntries defines own properties, so a "__proto__" key stays data instead of becoming the prototype.
  return ok ? Object.fromEntries(entries) : undefined;
}
