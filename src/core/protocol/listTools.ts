/**
 * `tools/list`, all pages, read leniently: the SDK's `listTools()` rejects the whole list over one tool
 * with a malformed schema, and one bad tool must not hide the others.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolInfo } from '../model/TaskModel';
import { toTaskRequestError } from './requestErrors';
import { readToolInfo } from './toolInfo';

/** A server that keeps handing out cursors must not keep us paging for ever. */
const MAX_PAGES = 50;

export async function listAllTools(client: Client, requestOptions: () => RequestOptions, redact: (text: string) => string): Promise<ToolInfo[]> {
  const tools: ToolInfo[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let result: Record<string, unknown>;
    try {
      result = await client.request({ method: 'tools/list', params: cursor !== undefined ? { cursor } : {} }, ResultSchema, requestOptions());
    } catch (err) {
      throw toTaskRequestError(err, 'tools/list', redact);
    }
    for (const raw of Array.isArray(result.tools) ? result.tools : []) {
      const tool = readToolInfo(raw);
      if (tool) {
        tools.push(tool);
      }
    }
    cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
    if (cursor === undefined) {
      break;
    }
  }
  return tools;
}
