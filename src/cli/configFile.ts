/**
 * Which mcp.json the CLI reads and how one server of it is resolved. Only the server a command names is
 * resolved (so only its `${input:...}` values are asked for) and connected.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ConfigError, type InputResolver, loadServerConfigs, type ParsedConfig, readMcpConfigFile, type ServerConfig } from '../core';
import { UsageError } from './args';

export interface CliConfig {
  /** Absolute path of the file read. */
  readonly path: string;
  /** Given with --config (a missing file is then an error rather than "no servers"). */
  readonly explicit: boolean;
  /** `${workspaceFolder}` for this file. */
  readonly workspaceFolder: string;
  readonly parsed: ParsedConfig;
}

export const DEFAULT_CONFIG = path.join('.vscode', 'mcp.json');

/**
 * `${workspaceFolder}`: the folder that holds `.vscode/` when the file is a `.vscode/mcp.json` (so pointing
 * --config at another project's file behaves as VS Code would there), else the current folder.
 */
export function workspaceFolderFor(configPath: string, cwd: string): string {
  const dir = path.dirname(configPath);
  return path.basename(dir) === '.vscode' ? path.dirname(dir) : cwd;
}

export async function readCliConfig(configOption: string | undefined, cwd = process.cwd()): Promise<CliConfig> {
  const file = path.resolve(cwd, configOption ?? DEFAULT_CONFIG);
  if (configOption !== undefined) {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      throw new UsageError(`--config: ${file} does not exist`);
    }
    if (!stat.isFile()) throw new UsageError(`--config: ${file} is not a file`);
  }
  const workspaceFolder = workspaceFolderFor(file, cwd);
  // fromWorkspace: the CLI runs what the user points it at; there is no trust prompt in a terminal.
  const parsed = await readMcpConfigFile({ path: file, fromWorkspace: true, workspaceFolder });
  return { path: file, explicit: configOption !== undefined, workspaceFolder, parsed };
}

/** File-level problems (syntax outside any server, wrong top-level shape) concern every server. */
export function fileErrors(config: CliConfig): ConfigError[] {
  return config.parsed.errors.filter((e) => e.server === undefined);
}

export type ResolvedServer =
  | { readonly kind: 'ok'; readonly server: ServerConfig; readonly errors: readonly ConfigError[] }
  /** No server of that name in the file: a usage error. */
  | { readonly kind: 'unknown'; readonly message: string }
  /** Defined but unusable (invalid, or an input was dismissed / cannot be asked): `errors` say why. */
  | { readonly kind: 'invalid'; readonly errors: readonly ConfigError[] };

export async function resolveNamedServer(config: CliConfig, name: string, resolveInput: InputResolver | undefined): Promise<ResolvedServer> {
  const { parsed } = config;
  if (!parsed.allNames.includes(name)) {
    const names = [...new Set(parsed.allNames)];
    const where = config.explicit || fs.existsSync(config.path) ? config.path : `${config.path} (not found; pass --config FILE)`;
    return {
      kind: 'unknown',
      message: `no server named '${name}' in ${where}${names.length ? `; configured: ${names.join(', ')}` : '; it defines no servers'}`,
    };
  }
  // Resolve only this server: other servers' inputs are not asked and their problems are not this command's.
  const only: ParsedConfig = {
    ...parsed,
    servers: parsed.servers.filter((s) => s.name === name),
    errors: parsed.errors.filter((e) => e.server === undefined || e.server === name),
  };
  const result = await loadServerConfigs([only], {
    workspaceFolder: config.workspaceFolder,
    workspaceFolders: [{ name: path.basename(config.workspaceFolder), path: config.workspaceFolder }],
    ...(resolveInput && { resolveInput }),
  });
  const server = result.servers.find((s) => s.name === name);
  if (!server) return { kind: 'invalid', errors: result.errors };
  return { kind: 'ok', server, errors: result.errors };
}
