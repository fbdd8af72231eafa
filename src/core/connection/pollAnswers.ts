/**
 * A poll (`tasks/get`, `tasks/list`) answered with an SSE stream is handed to the SDK as the JSON answer it
 * carries. Why: most servers (the SDK's own by default) answer every POST with a short SSE stream, and the
 * SDK 1.x client reads each through a web-stream pipeline (TextDecoderStream, then its SSE parser stream):
 * per answer that is a third of the client's CPU for a page of 100 tasks (bench row idle.request), and
 * polls are almost all the requests of an idle editor. A poll's stream holds the one answer (and perhaps a
 * notification or two), and ends: reading it whole first changes nothing the SDK does with it.
 *
 * Only polls: another request's stream may carry a question the server waits on before it answers
 * (an elicitation during `tasks/result`), which must reach the SDK while the stream is still open. A stream
 * this does not fully understand (an event type other than "message", event ids for resuming, no data) is
 * handed on as the same SSE text, for the SDK to read as before.
 */
const POLL_METHODS = new Set(['tasks/get', 'tasks/list']);
/** Poll bodies are a few hundred bytes; anything longer is not parsed to find out. */
const MAX_POLL_BODY = 4096;

export function answeringPollsAsJson(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!isPoll(init) || !response.ok || !response.headers.get('content-type')?.toLowerCase().startsWith('text/event-stream')) return response;
    const text = await response.text();
    const messages = sseMessages(text);
    const headers = new Headers(response.headers);
    if (messages === undefined) return new Response(text, { status: response.status, statusText: response.statusText, headers });
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    const json = messages.length === 1 ? messages[0]! : `[${messages.join(',')}]`;
    return new Response(json, { status: response.status, statusText: response.statusText, headers });
  };
}

function isPoll(init: RequestInit | undefined): boolean {
  const body = init?.body;
  if (init?.method?.toUpperCase() !== 'POST' || typeof body !== 'string' || body.length > MAX_POLL_BODY) return false;
  try {
    const message = JSON.parse(body) as { method?: unknown } | null;
    return typeof message?.method === 'string' && POLL_METHODS.has(message.method);
  } catch {
    return false;
  }
}

/**
 * The data of each event of a complete SSE text (per the HTML spec's parsing rules), or undefined when
 * the stream is anything but plain messages: an event name other than "message", an event id, no data.
 */
export function sseMessages(text: string): string[] | undefined {
  const messages: string[] = [];
  let data: string[] = [];
  let event = '';
  const lines = text.split(/\r\n|\r|\n/);
  lines.pop(); // what follows the last line break: nothing, or a line the stream never finished
  for (const line of lines) {
    if (line === '') {
      if (data.length > 0) {
        if (event !== '' && event !== 'message') return undefined;
        messages.push(data.join('\n'));
      }
      data = [];
      event = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') return undefined;
    // `retry` and unknown fields are ignored, as the spec says.
  }
  // An event not ended by a blank line is not dispatched (the spec drops it at the end of the stream).
  return messages.length > 0 ? messages : undefined;
}
