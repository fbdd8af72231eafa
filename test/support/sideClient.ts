import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * Another client of the same HTTP demo server (its tasks are shared across sessions): creates tasks
 * "elsewhere", through the plain make-tasks tool, for inventory tests.
 */
export async function makeTasksElsewhere(url: string, count: number, steps = 600, stepMs = 1_000): Promise<string[]> {
  const client = new Client({ name: 'side-client', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const result = await client.callTool({ name: 'make-tasks', arguments: { count, steps, stepMs } });
    return (result.structuredContent as { taskIds: string[] }).taskIds;
  } finally {
    await client.close();
  }
}
