/**
 * A configured MCP server after parsing and variable resolution: what a connection needs, nothing more.
 * `id` is unique across all sources (settings, workspace mcp.json, user mcp.json); `name` is what the user wrote.
 */
export type TransportKind = 'stdio' | 'http' | 'sse';

/** The MCP protocol generations this client speaks (for tasks: the core protocol, then the extension). */
export type ProtocolGeneration = '2025-11-25' | '2026-07-28';
export const PROTOCOL_GENERATIONS: readonly ProtocolGeneration[] = ['2025-11-25', '2026-07-28'];

interface ServerConfigBase {
  readonly id: string;
  readonly name: string;
  /** Where it was defined, for messages: a file path, or 'settings'. */
  readonly source: string;
  /** True when the definition came from the workspace (not user-level): such stdio commands need trust. */
  readonly fromWorkspace: boolean;
  /**
   * The `${input:...}` answers this definition used. They are secrets wherever they ended up (args, url,
   * not only env and headers): nothing the core logs or shows may contain them.
   */
  readonly inputValues?: readonly string[];
  /** `protocol` in the definition: connect with this generation only. Absent: detect (and remember). */
  readonly protocol?: ProtocolGeneration;
}

/** How a stdio server is started: as written in a definition, and once resolved. */
export interface StdioLaunch {
  readonly type: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** Extra environment; values are secrets as far as logging goes. */
  readonly env: Readonly<Record<string, string>>;
  readonly envFile?: string;
  readonly cwd?: string;
}

/** Where an HTTP server is reached: as written in a definition, and once resolved. */
export interface HttpEndpoint {
  /** 'http' = Streamable HTTP with a fallback to SSE (as VS Code does); 'sse' = legacy SSE only. */
  readonly type: 'http' | 'sse';
  readonly url: string;
  /** Values are secrets as far as logging goes. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface StdioServerConfig extends ServerConfigBase, StdioLaunch {}

export interface HttpServerConfig extends ServerConfigBase, HttpEndpoint {}

export type ServerConfig = StdioServerConfig | HttpServerConfig;

/** A problem in one file or one server; one bad server never stops the others. */
export interface ConfigError {
  /** The file (or 'settings'). */
  readonly source: string;
  /** The server's name when the problem is inside one server's definition. */
  readonly server?: string;
  readonly message: string;
}
