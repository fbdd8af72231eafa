/**
 * A stdio server process: argv passed as is (never through a shell), environment = the SDK's safe default
 * set overlaid with the configured `env` (the config layer has already folded `envFile` into it); stderr
 * piped to the log one line at a time.
 */
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { StdioServerConfig } from '../config/ServerConfig';
import { useLinearReadBuffer } from './LinearReadBuffer';

/** Large task results (tens of MB) arrive as one JSON-RPC line; the SDK's default buffer is 10 MB. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
/** Longer stderr lines are cut here, before any further processing (a server may print megabytes). */
const MAX_STDERR_LINE = 4_000;

export function createStdioTransport(config: StdioServerConfig, onStderrLine: (line: string) => void): StdioClientTransport {
  const transport = new StdioClientTransport({
    command: config.command,
    args: [...config.args],
    env: { ...getDefaultEnvironment(), ...config.env },
    ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
    maxBufferSize: MAX_MESSAGE_BYTES,
  });
  useLinearReadBuffer(transport, MAX_MESSAGE_BYTES);
  // The stream exists before start(), so nothing the process prints while starting is lost.
  const stderr = transport.stderr as Readable | null;
  if (stderr) {
    const lines = readline.createInterface({ input: stderr, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() !== '') {
        onStderrLine(line.length > MAX_STDERR_LINE ? `${line.slice(0, MAX_STDERR_LINE)}… (${line.length - MAX_STDERR_LINE} more characters)` : line);
      }
    });
    lines.on('error', () => lines.close());
  }
  return transport;
}
