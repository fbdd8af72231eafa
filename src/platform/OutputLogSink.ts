import type * as vscode from 'vscode';
import type { LogLevel, LogSink } from '../core/ports';

/** The core's log (server stderr, protocol errors) into the "MCP Tasks" log output channel. */
export class OutputLogSink implements LogSink {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  log(level: LogLevel, serverId: string | undefined, message: string): void {
    const line = serverId ? `[${serverId}] ${message}` : message;
    this.channel[level](line);
  }
}
