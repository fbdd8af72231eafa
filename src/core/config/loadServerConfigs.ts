/** All sources together: unique ids, duplicate names, then each server resolved on its own. */
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConfigError, ServerConfig } from './ServerConfig';
import type { ConfigContext } from './context';
import type { ParsedConfig } from './definitions';
import { configError } from './messages';
import { resolveServer, type ResolveEnvironment } from './resolveServer';

export interface ConfigResult {
  readonly servers: ServerConfig[];
  readonly errors: ConfigError[];
}

/**
 * Resolves every server of `sources` (in order; within a source, in file order). Inputs are asked one at
 * a time, in that order, each at most once per call.
 */
export async function loadServerConfigs(sources: readonly ParsedConfig[], ctx: ConfigContext = {}): Promise<ConfigResult> {
  const errors: ConfigError[] = sources.flatMap((s) => s.errors);
  const { ids, duplicates } = assignIds(sources);
  errors.push(...duplicates);
  const env: ResolveEnvironment = {
    values: {
      ...(ctx.workspaceFolder !== undefined && { workspaceFolder: ctx.workspaceFolder }),
      workspaceFolders: ctx.workspaceFolders ?? [],
      env: ctx.env ?? process.env,
      userHome: ctx.userHome ?? os.homedir(),
      pathSeparator: ctx.pathSeparator ?? path.sep,
    },
    ...(ctx.resolveInput && { resolveInput: ctx.resolveInput }),
    readFile: ctx.readFile ?? ((p) => readFile(p, 'utf8')),
    answers: new Map(),
  };
  const servers: ServerConfig[] = [];
  for (const [index, source] of sources.entries()) {
    for (const def of source.servers) {
      // Sequential on purpose: prompts for inputs appear one after another, in file order.
      const outcome = await resolveServer(def, source, ids.get(idKey(index, def.name))!, env);
      errors.push(...outcome.errors);
      if (outcome.server) servers.push(outcome.server);
    }
  }
  return { servers, errors };
}

function idKey(sourceIndex: number, name: string): string {
  return `${sourceIndex}\0${name}`;
}

/**
 * `name` when only one source defines it, else `name (source)` for every copy, so no copy is favoured
 * and each id depends only on the names in the sources, not on which definitions happen to be valid.
 */
function assignIds(sources: readonly ParsedConfig[]): { ids: Map<string, string>; duplicates: ConfigError[] } {
  const holders = new Map<string, number[]>();
  sources.forEach((source, index) => {
    for (const name of source.allNames) holders.set(name, [...(holders.get(name) ?? []), index]);
  });
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const duplicates: ConfigError[] = [];
  sources.forEach((source, index) => {
    for (const name of source.allNames) {
      const shared = holders.get(name)!.length > 1;
      let id = shared ? `${name} (${source.source})` : name;
      // Only when a name already looks like "x (file)" or a source is passed twice: still unique, still stable.
      for (let n = 2; taken.has(id); n++) id = `${shared ? `${name} (${source.source})` : name} #${n}`;
      taken.add(id);
      ids.set(idKey(index, name), id);
    }
  });
  for (const [name, indexes] of holders) {
    const [first, ...others] = indexes;
    for (const other of others) {
      const firstSource = sources[first!]!.source;
      const problem = `is also defined in ${firstSource}; both are kept, as '${ids.get(idKey(first!, name))}' and '${ids.get(idKey(other, name))}'`;
      duplicates.push(configError(sources[other]!.source, name, problem));
    }
  }
  return { ids, duplicates };
}
