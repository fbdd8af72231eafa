/**
 * `tools/list`, all pages, read leniently: the SDKs' `listTools()` reject the whole list over one tool
 * with a malformed schema, and one bad tool must not hide the others. Works on both generations through
 * `ProtocolChannel`; 2026-07-28 tools carry no `taskSupport` (the server decides per call), so they count
 * as 'optional'.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolInfo } from '../model/TaskModel';
import type { ProtocolChannel } from './createTaskProtocol';
import { errorMessage, TaskRequestError } from '../util/errors';
import { toTaskRequestError } from './requestErrors';
import { readToolInfo } from './toolInfo';

/** A server that keeps handing out cursors must not keep us paging for ever. */
const MAX_PAGES = 50;

export async function listAllTools(channel: ProtocolChannel, requestOptions: () => RequestOptions, redact: (text: string) => string): Promise<ToolInfo[]> {
  const page = (cursor: string | undefined): Promise<Record<string, unknown>> =>
    channel.modern
      ? channel.modern.listTools(cursor, { timeoutMs: requestOptions().timeout ?? 30_000 })
      : channel.client.request({ method: 'tools/list', params: cursor !== undefined ? { cursor } : undefined }, ResultSchema, requestOptions());
  const tools: ToolInfo[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    let result: Record<string, unknown>;
    try {
      result = await page(cursor);
    } catch (err) {
      // A 2026 session's errors are not McpErrors (another package, maybe another bundle file): keep the code.
      const code = (err as { code?: unknown } | null)?.code;
      throw channel.modern ? new TaskRequestError(redact(errorMessage(err)), typeof code === 'number' ? code : undefined) : toTaskRequestError(err, 'tools/list', redact);
    }
    for (const raw of Array.isArray(result.tools) ? result.tools : []) {
      const tool = readToolInfo(raw, channel.modern ? 'optional' : 'forbidden');
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
