import * as vscode from 'vscode';
import { type CoreSettings, DEFAULT_CORE_SETTINGS } from '../core';

/** The core's tunables from `mcpTasks.*` settings, read on every use so changes apply without a reload. */
export function readCoreSettings(): CoreSettings {
  const cfg = vscode.workspace.getConfiguration('mcpTasks');
  const num = (key: string, fallback: number, min: number) => {
    const v = cfg.get<number>(key);
    return typeof v === 'number' && Number.isFinite(v) ? Math.max(min, v) : fallback;
  };
  return {
    minPollIntervalMs: num('minPollIntervalMs', DEFAULT_CORE_SETTINGS.minPollIntervalMs, 100),
    maxPollIntervalMs: DEFAULT_CORE_SETTINGS.maxPollIntervalMs,
    defaultTaskTtlMs: num('defaultTaskTtlMs', DEFAULT_CORE_SETTINGS.defaultTaskTtlMs, 1000),
    requestTimeoutMs: num('requestTimeoutMs', DEFAULT_CORE_SETTINGS.requestTimeoutMs, 1000),
  };
}
