import * as vscode from 'vscode';
import type { LogLevel, LogSink } from '../core';

/** The core's log (server stderr, protocol errors) into the "MCP Tasks" log output channel. */
export class OutputLogSink implements LogSink {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  isEnabled(level: LogLevel): boolean {
    const wanted = this.channel.logLevel;
    return wanted !== vscode.LogLevel.Off && wanted <= LEVELS[level];
  }

  log(level: LogLevel, serverId: string | undefined, message: string): void {
    const line = serverId ? `[${serverId}] ${message}` : message;
    this.channel[level](line);
  }
}

const LEVELS: Record<LogLevel, vscode.LogLevel> = {
  trace: vscode.LogLevel.Trace,
  debug: vscode.LogLevel.Debug,
  info: vscode.LogLevel.Info,
  warn: vscode.LogLevel.Warning,
  error: vscode.LogLevel.Error,
};
