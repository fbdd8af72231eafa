import type * as vscode from 'vscode';
import type { KeyValueStorage } from '../core';

/** Workspace state as the core's persistent storage (known task ids survive a window reload). */
export class MementoStorage implements KeyValueStorage {
  constructor(private readonly memento: vscode.Memento) {}

  get<T>(key: string): T | undefined {
    return this.memento.get<T>(key);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.memento.update(key, value);
  }
}
