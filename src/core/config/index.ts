/** Server configuration: mcp.json files and settings → ServerConfig[] plus plain-words ConfigError[]. */
export type { ConfigError, HttpServerConfig, ServerConfig, StdioServerConfig, TransportKind } from './ServerConfig';
export type { ConfigOrigin, InputDefinition, ParsedConfig, RawHttpDefinition, RawServerDefinition, RawStdioDefinition, TextPosition } from './definitions';
export type { ConfigContext, WorkspaceFolder } from './context';
export { parseMcpConfigObject, parseMcpConfigText, parseServersSetting } from './parseMcpConfig';
export { parseEnvFile, type EnvFileProblem, type ParsedEnvFile } from './envFile';
export { SUPPORTED_VARIABLES } from './resolveVariables';
export { loadServerConfigs, type ConfigResult } from './loadServerConfigs';
export { loadMcpConfigFiles, readMcpConfigFile, type LoadOptions, type McpConfigFile } from './loadMcpConfigFiles';
