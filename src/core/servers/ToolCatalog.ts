/** One connection's tools: asked for once, and again only when a tool by that name is not found. */
import type { ToolInfo } from '../model/TaskModel';

export class ToolCatalog {
  private tools?: Promise<ToolInfo[]>;

  constructor(private readonly fetchTools: () => Promise<ToolInfo[]>) {}

  all(): Promise<ToolInfo[]> {
    if (!this.tools) {
      const tools = this.fetchTools();
      this.tools = tools;
      tools.catch(() => {
        if (this.tools === tools) {
          this.tools = undefined; // a failure is not remembered: ask again next time
        }
      });
    }
    return this.tools;
  }

  /** The server's tools may have changed since we asked: a miss asks once more. */
  async find(name: string): Promise<ToolInfo | undefined> {
    const known = (await this.all()).find((t) => t.name === name);
    if (known) {
      return known;
    }
    this.tools = undefined;
    return (await this.all()).find((t) => t.name === name);
  }
}
