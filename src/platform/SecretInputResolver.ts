import * as vscode from 'vscode';
import type { InputResolver } from '../core/ports';

const PREFIX = 'mcpTasks.input.';

/**
 * `${input:id}` values: asked once, then kept in SecretStorage (never in settings or logs), like VS Code's
 * own MCP support. A dismissed prompt resolves undefined and that server is not started.
 */
export class SecretInputResolver {
  private readonly known = new Set<string>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

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
      this.known.add(key);
    }
    return value;
  };

  /** Forgets every saved input value (the next start asks again). */
  async clear(ids: readonly string[]): Promise<void> {
    for (const key of new Set([...ids.map((id) => PREFIX + id), ...this.known])) await this.secrets.delete(key);
    this.known.clear();
  }
}
