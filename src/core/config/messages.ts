import type { ConfigError } from './ServerConfig';
import type { TextPosition } from './definitions';

/**
 * Builds a ConfigError whose message stands on its own (file, position, server, problem), because hosts
 * show messages in places that drop the other fields: an output channel, a terminal, a notification.
 * `file:line:col:` is the form terminals and VS Code turn into links.
 */
export function configError(source: string, server: string | undefined, problem: string, position?: TextPosition): ConfigError {
  const where = position ? `${source}:${position.line}:${position.column}` : source;
  const message = server === undefined ? `${where}: ${problem}` : `${where}: server '${server}': ${problem}`;
  return server === undefined ? { source, message } : { source, server, message };
}
