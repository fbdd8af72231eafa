// A poll answered with SSE reaches the SDK as the JSON it carries; anything else is left to the SDK as it came.
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResultSchema, type Task } from '@modelcontextprotocol/sdk/types.js';
import { fetchFor } from '../../../src/core/connection/httpTransports';
import { loopbackFetch } from '../../../src/core/connection/loopbackFetch';
import { answeringPollsAsJson, sseMessages } from '../../../src/core/connection/pollAnswers';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';

describe('poll answers as JSON', () => {
  describe('sseMessages', () => {
    it('reads data fields per the SSE rules: CRLF/CR/LF, comments, a space after the colon, multi-line data', () => {
      assert.deepEqual(sseMessages('event: message\r\ndata: {"a":1}\r\n\r\n'), ['{"a":1}']);
      assert.deepEqual(sseMessages(': comment\ndata:{"a":\ndata: 2}\n\ndata: 3\r\r'), ['{"a":\n2}', '3']);
      assert.deepEqual(sseMessages('retry: 100\ndata: 1\n\n'), ['1']);
    });
    it('gives up (the SDK reads it) on event ids, other event types, no complete event', () => {
      assert.equal(sseMessages('id: 7\ndata: 1\n\n'), undefined);
      assert.equal(sseMessages('event: ping\ndata: 1\n\n'), undefined);
      assert.equal(sseMessages('data: 1\n'), undefined);
      assert.equal(sseMessages(''), undefined);
    });
  });

  describe('against the demo server', () => {
    let demo: HttpDemoServer;
    let client: Client;
    let transport: StreamableHTTPClientTransport;
    before(async () => {
      demo = await startHttpDemoServer(['--page-size', '5']);
      transport = new StreamableHTTPClientTransport(new URL(demo.url), { fetch: fetchFor(new URL(demo.url)) });
      client = new Client({ name: 'poll-answers-test', version: '0' }, { capabilities: {} });
      await client.connect(transport);
    });
    after(async () => {
      await client.close();
      await demo.stop();
    });

    const post = (fetchFn: typeof fetch, method: string, params: object) =>
      fetchFn(demo.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': transport.sessionId!,
          'mcp-protocol-version': transport.protocolVersion!,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 99, method, params }),
      });

    it('a tasks/list or tasks/get answer comes as JSON, equal to what the SSE stream carried; tools/list stays SSE', async () => {
      const created = (await client.request({ method: 'tools/call', params: { name: 'slow-job', arguments: { steps: 0, stepMs: 0 }, task: { ttl: 60_000 } } }, ResultSchema)) as unknown as { task: Task };
      for (const [method, params] of [['tasks/list', {}], ['tasks/get', { taskId: created.task.taskId }]] as const) {
        const raw = await post(loopbackFetch, method, params);
        assert.match(raw.headers.get('content-type')!, /text\/event-stream/, 'the server answers with SSE');
        const viaSse = JSON.parse(sseMessages(await raw.text())![0]!) as { result: unknown };
        const json = await post(answeringPollsAsJson(loopbackFetch), method, params);
        assert.match(json.headers.get('content-type')!, /application\/json/, method);
        const body = (await json.json()) as { id: number; result: { tasks?: unknown[]; taskId?: string } };
        assert.equal(body.id, 99);
        if (method === 'tasks/get') assert.deepEqual(body.result, viaSse.result);
        else assert.equal(body.result.tasks?.length, (viaSse.result as { tasks: unknown[] }).tasks.length);
      }
      const tools = await post(answeringPollsAsJson(loopbackFetch), 'tools/list', {});
      assert.match(tools.headers.get('content-type')!, /text\/event-stream/);
      await tools.body?.cancel();
    });

    it('the SDK client reads polls through it: every page of the listing, and task status', async () => {
      const ids = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await client.experimental.tasks.listTasks(cursor);
        for (const t of page.tasks) ids.add(t.taskId);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      assert.ok(ids.size >= 1);
      const first = [...ids][0]!;
      assert.equal((await client.experimental.tasks.getTask(first)).taskId, first);
    });
  });
});
