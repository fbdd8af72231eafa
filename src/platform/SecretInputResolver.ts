import * as vscode from 'vscode';
import type { InputResolver } from '../core';

const PREFIX = 'mcpTasks.input.';
/** Which inputs have a saved answer (SecretStorage cannot list its keys), so all can be forgotten. */
const SAVED_IDS = 'mcpTasks.savedInputIds';

/**
 * `${input:id}` values: asked once, then kept in SecretStorage (never in settings or logs), like VS Code's
 * own MCP support. A dismissed prompt resolves undefined and that server is not started.
 */
export class SecretInputResolver {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  readonly resolve: InputResolver = async (input) => {
    const key = PREFIX + input.id;
    const saved = await this.secrets.get(key);
    if (saved !== undefined) return saved;
    const value =
      input.type === 'pickString' && input.options?.length
        ? await vscode.window.showQuickPick(input.options, { title: `MCP server input: ${input.id}`, placeHolder: input.description, ignoreFocusOut: true })
        : await vscode.window.showInputBox({
            title: `MCP server input: ${input.id}`,
            prompt: input.description,
            password: input.password ?? false,
            value: input.default,
            ignoreFocusOut: true,
          });
    if (value !== undefined) {
      await this.secrets.store(key, value);
      await this.state.update(SAVED_IDS, [...new Set([...this.savedIds(), input.id])]);
    }
    return value;
  };

  /** Forgets every saved input value (the next start asks again); returns how many there were. */
  async clear(): Promise<number> {
    const ids = this.savedIds();
    for (const id of ids) await this.secrets.delete(PREFIX + id);
    await this.state.update(SAVED_IDS, []);
    return ids.length;
  }

  private savedIds(): string[] {
    return this.state.get<string[]>(SAVED_IDS, []);
  }
}
