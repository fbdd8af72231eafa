// A client standing in for VS Code on the bridge: what its MCP host declares, connected with the offered
// definition's URL and token (as VS Code gets them from our McpServerDefinitionProvider).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { McpBridge } from '../../src/core/bridge/McpBridge';

/** Tasks and form elicitation, as VS Code 1.139 declares them. */
export const VSCODE_CAPABILITIES: ClientCapabilities = { elicitation: { form: {} }, tasks: { list: {}, cancel: {}, requests: { elicitation: { create: {} } } } };

export interface BridgeClient {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  readonly url: string;
  readonly authorization: string;
}

/** Connects a VS Code-like client to the offered server `name` (fails if it is not offered). */
export async function connectBridgeClient(bridge: McpBridge, name: string, capabilities: ClientCapabilities = VSCODE_CAPABILITIES): Promise<BridgeClient> {
  const def = await bridge.resolve(name);
  if (!def) throw new Error(`"${name}" is not offered on the bridge`);
  const authorization = def.headers.Authorization!;
  const client = new Client({ name: 'Visual Studio Code', version: '1.139.1' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(def.url), { requestInit: { headers: { Authorization: authorization } } });
  await client.connect(transport);
  return { client, transport, url: def.url, authorization };
}
