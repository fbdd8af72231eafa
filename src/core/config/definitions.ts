/**
 * What parsing yields before variables are resolved: the servers as written (strings may still hold
 * `${...}`), the `inputs` those strings may refer to, and every problem found so far.
 */
import type { ConfigError, HttpEndpoint, ProtocolGeneration, StdioLaunch } from './ServerConfig';

/** Where a set of definitions came from; the caller decides, the parser only carries it along. */
export interface ConfigOrigin {
  /** A file path, or a label such as 'settings'; appears in every message and in duplicate ids. */
  readonly source: string;
  /** Workspace `.vscode/mcp.json` and workspace settings: true. User-level files and settings: false. */
  readonly fromWorkspace: boolean;
  /**
   * The folder `${workspaceFolder}` and relative paths mean for this source. In a multi-root workspace each
   * folder's `.vscode/mcp.json` refers to its own folder; defaults to the context's folder.
   */
  readonly workspaceFolder?: string;
}

export interface InputDefinition {
  readonly id: string;
  readonly type: 'promptString' | 'pickString';
  readonly description?: string;
  readonly password?: boolean;
  readonly options?: readonly string[];
  readonly default?: string;
}

/** 1-based, as editors show them. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

interface RawServerBase {
  readonly name: string;
  /** Where the server's name is written, when parsed from text: later messages point there. */
  readonly position?: TextPosition;
  /** A pinned protocol generation, as written (`"protocol": "2026-07-28"`). */
  readonly protocol?: ProtocolGeneration;
}

export interface RawStdioDefinition extends RawServerBase, StdioLaunch {}

export interface RawHttpDefinition extends RawServerBase, HttpEndpoint {}

export type RawServerDefinition = RawStdioDefinition | RawHttpDefinition;

export interface ParsedConfig extends ConfigOrigin {
  /** Only the servers that are usable so far; the others are explained in `errors`. */
  readonly servers: readonly RawServerDefinition[];
  /**
   * Every server name the source defines, usable or not. Duplicate ids are decided from these, so fixing
   * or breaking one definition never renames a server in another source.
   */
  readonly allNames: readonly string[];
  readonly inputs: readonly InputDefinition[];
  readonly errors: readonly ConfigError[];
}
