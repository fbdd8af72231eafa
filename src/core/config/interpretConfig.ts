/**
 * A whole config document (already JSON values) → definitions and errors. Shared by the text parser, which
 * adds positions and syntax knowledge, and by callers holding parsed objects (VS Code settings).
 */
import type { ConfigError } from './ServerConfig';
import type { ConfigOrigin, ParsedConfig, RawServerDefinition, TextPosition } from './definitions';
import { configError } from './messages';
import { suggestKey } from './typoHints';
import { validateInputs } from './validateInputs';
import { validateServer } from './validateServer';
import { has, isRecord, jsonKind, own } from './values';

/** VS Code's `servers`, and `mcpServers` as Claude Desktop, Cursor and others write it. */
export const SERVER_CONTAINERS = ['servers', 'mcpServers'] as const;
const TOP_LEVEL_KEYS: readonly string[] = ['inputs', ...SERVER_CONTAINERS];

export type JsonPath = readonly (string | number)[];

export interface InterpretHooks {
  /** Where the key at `path` is written; absent for objects that never were text. */
  readonly locate?: (path: JsonPath) => TextPosition | undefined;
  /** Servers whose text is broken: left out, their syntax errors already reported. */
  readonly isBroken?: (container: string, name: string) => boolean;
}

export function interpretDocument(doc: unknown, origin: ConfigOrigin, hooks: InterpretHooks = {}): ParsedConfig {
  const errors: ConfigError[] = [];
  const servers = new Map<string, RawServerDefinition>();
  const allNames: string[] = [];
  const result = () => ({ ...origin, servers: [...servers.values()], allNames, inputs, errors });
  const locate = (path: JsonPath) => hooks.locate?.(path);
  const fileProblem = (problem: string, path: JsonPath) => errors.push(configError(origin.source, undefined, problem, locate(path)));

  let inputs: ParsedConfig['inputs'] = [];
  if (doc === undefined) return result();
  if (!isRecord(doc)) {
    fileProblem(`expected an object with "servers" (or "mcpServers"), not ${jsonKind(doc)}`, []);
    return result();
  }
  inputs = validateInputs(own(doc, 'inputs'), (problem, path) => fileProblem(problem, ['inputs', ...path]));
  for (const key of Object.keys(doc)) {
    if (TOP_LEVEL_KEYS.includes(key)) continue;
    const meant = suggestKey(key, TOP_LEVEL_KEYS);
    if (meant !== undefined) fileProblem(`unknown key "${key}" — did you mean "${meant}"?`, [key]);
  }

  for (const container of SERVER_CONTAINERS) {
    if (!has(doc, container)) continue;
    const entries = own(doc, container);
    if (!isRecord(entries)) {
      fileProblem(`"${container}" must be an object of server names to definitions, not ${jsonKind(entries)}`, [container]);
      continue;
    }
    for (const name of Object.keys(entries)) {
      const path = [container, name];
      if (allNames.includes(name)) {
        errors.push(configError(origin.source, name, 'is defined more than once in this file; the last definition is used', locate(path)));
        servers.delete(name);
      } else {
        allNames.push(name);
      }
      if (hooks.isBroken?.(container, name)) continue;
      const report = (problem: string, inner: JsonPath = []) =>
        errors.push(configError(origin.source, name, problem, locate([...path, ...inner])));
      const definition = validateServer(name, own(entries, name), report, locate(path));
      if (definition !== undefined) servers.set(name, definition);
    }
  }
  return result();
}
