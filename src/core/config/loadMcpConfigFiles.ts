/** Reading mcp.json files from disk (or the host's file system) and resolving them with any other sources. */
import { readFile } from 'node:fs/promises';
import type { ConfigContext } from './context';
import type { ParsedConfig } from './definitions';
import { loadServerConfigs, type ConfigResult } from './loadServerConfigs';
import { configError } from './messages';
import { parseMcpConfigText } from './parseMcpConfig';

export interface McpConfigFile {
  readonly path: string;
  /** `.vscode/mcp.json` of a workspace folder: true; the user's mcp.json, Claude/Cursor files: false. */
  readonly fromWorkspace: boolean;
  /** The folder this file belongs to, when it is not the context's folder (multi-root workspaces). */
  readonly workspaceFolder?: string;
}

export interface LoadOptions extends ConfigContext {
  /** Sources already parsed (settings), resolved together with the files and listed before them. */
  readonly otherSources?: readonly ParsedConfig[];
}

/** A missing file is simply no servers: most users have only some of the possible files. */
export async function readMcpConfigFile(file: McpConfigFile, read: (path: string) => Promise<string> = (p) => readFile(p, 'utf8')): Promise<ParsedConfig> {
  const origin = { source: file.path, fromWorkspace: file.fromWorkspace, ...(file.workspaceFolder !== undefined && { workspaceFolder: file.workspaceFolder }) };
  let text: string;
  try {
    text = await read(file.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const empty = parseMcpConfigText('', origin);
    if (code === 'ENOENT' || code === 'ENOTDIR') return empty;
    return { ...empty, errors: [configError(file.path, undefined, `the file could not be read (${code ?? (e instanceof Error ? e.message : String(e))})`)] };
  }
  return parseMcpConfigText(text, origin);
}

export async function loadMcpConfigFiles(files: readonly McpConfigFile[], options: LoadOptions = {}): Promise<ConfigResult> {
  const parsed = await Promise.all(files.map((file) => readMcpConfigFile(file, options.readFile)));
  return loadServerConfigs([...(options.otherSources ?? []), ...parsed], options);
}
