/** Which configured values are secrets as far as logs and status texts go. */
import type { ServerConfig } from '../config/ServerConfig';
import { isSecretName } from '../util/redact';

/**
 * Every `${input:…}` answer (wherever it was used), every header value, and the env values whose names
 * mark secrets. Other env values (`MODE=development`) are configuration, shown as they are.
 */
export function secretsOf(config: ServerConfig): string[] {
  const inputs = config.inputValues ?? [];
  if (config.type !== 'stdio') {
    return [...inputs, ...Object.values(config.headers)];
  }
  return [
    ...inputs,
    ...Object.entries(config.env)
      .filter(([key]) => isSecretName(key))
      .map(([, value]) => value),
  ];
}
