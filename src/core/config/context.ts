import type { InputResolver } from '../model/ports';

export interface WorkspaceFolder {
  readonly name: string;
  readonly path: string;
}

/**
 * What resolution needs from the host. Everything has a Node default except the folder (none = no folder
 * open) and the input resolver (none = `${input:...}` cannot be answered, which is reported).
 */
export interface ConfigContext {
  /** `${workspaceFolder}` and the base of relative `cwd`/`envFile` (a source may name its own folder). */
  readonly workspaceFolder?: string;
  /** Every open folder, for `${workspaceFolder:name}`. */
  readonly workspaceFolders?: readonly WorkspaceFolder[];
  /** For `${env:NAME}`; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** For `${userHome}`; defaults to os.homedir(). */
  readonly userHome?: string;
  /** For `${pathSeparator}` and `${/}`; defaults to path.sep. */
  readonly pathSeparator?: string;
  readonly resolveInput?: InputResolver;
  /** Reads a file as UTF-8 (config files, envFile); must reject with code 'ENOENT' for a missing file. */
  readonly readFile?: (path: string) => Promise<string>;
}
