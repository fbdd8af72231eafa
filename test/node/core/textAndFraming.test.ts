import * as assert from 'node:assert/strict';
import { LinearReadBuffer } from '../../../src/core/connection/LinearReadBuffer';
import { StderrThrottle } from '../../../src/core/connection/StderrThrottle';
import { clipLine } from '../../../src/core/format/taskText';
import { oneLine } from '../../../src/core/util/logText';
import { makeRedactor } from '../../../src/core/util/redact';

const message = (id: number, text = 'x') => `${JSON.stringify({ jsonrpc: '2.0', id, result: { text } })}\n`;

function drain(buffer: LinearReadBuffer): unknown[] {
  const out: unknown[] = [];
  for (let m = buffer.readMessage(); m !== null; m = buffer.readMessage()) {
    out.push((m as { id: number }).id);
  }
  return out;
}

describe('stdio framing (LinearReadBuffer)', () => {
  it('reads messages split across chunks at every position, and several per chunk', () => {
    const stream = Buffer.from(message(1) + message(2, 'ü'.repeat(10)) + message(3));
    for (let cut = 1; cut < stream.length; cut += 7) {
      const buffer = new LinearReadBuffer(1 << 20);
      buffer.append(stream.subarray(0, cut));
      const first = drain(buffer);
      buffer.append(stream.subarray(cut));
      assert.deepEqual([...first, ...drain(buffer)], [1, 2, 3], `cut at ${cut}`);
    }
  });

  it('reads a large message from many small chunks', () => {
    const big = Buffer.from(message(7, 'y'.repeat(3 * 1024 * 1024)));
    const buffer = new LinearReadBuffer(64 << 20);
    for (let i = 0; i < big.length; i += 65_536) {
      buffer.append(big.subarray(i, i + 65_536));
    }
    const m = buffer.readMessage() as unknown as { result: { text: string } };
    assert.equal(m.result.text.length, 3 * 1024 * 1024);
    assert.equal(buffer.readMessage(), null);
  });

  it('skips a line that is not JSON-RPC (throwing once) and reads on', () => {
    const buffer = new LinearReadBuffer(1 << 20);
    buffer.append(Buffer.from(`not json\n${message(4)}`));
    assert.throws(() => buffer.readMessage());
    assert.deepEqual(drain(buffer), [4]);
  });

  it('refuses JSON that is not a JSON-RPC message (the SDK\'s error), and passes the usual shapes as sent', () => {
    const odd = [{ hello: 1 }, { jsonrpc: '2.0', id: 1 }, { jsonrpc: '1.0', id: 1, result: {} }, { jsonrpc: '2.0', id: 1, result: [] }, { jsonrpc: '2.0', id: 1.5, result: {} }, [1]];
    for (const value of odd) {
      const buffer = new LinearReadBuffer(1 << 20);
      buffer.append(Buffer.from(`${JSON.stringify(value)}\n`));
      assert.throws(() => buffer.readMessage(), (err: Error) => err.name === 'ZodError' || /invalid/i.test(err.message), JSON.stringify(value));
    }
    const usual = [
      { jsonrpc: '2.0', id: 'a', result: { x: [1, { y: 2 }], extra: null } },
      { jsonrpc: '2.0', id: 2, method: 'elicitation/create', params: { message: 'm' } },
      { jsonrpc: '2.0', method: 'notifications/tasks/status', params: { taskId: 't' } },
      { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'unknown task' } },
    ];
    const buffer = new LinearReadBuffer(1 << 20);
    buffer.append(Buffer.from(usual.map((m) => `${JSON.stringify(m)}\r\n`).join('')));
    assert.deepEqual([buffer.readMessage(), buffer.readMessage(), buffer.readMessage(), buffer.readMessage(), buffer.readMessage()], [...usual, null]);
  });

  it('refuses to buffer more than its limit', () => {
    const buffer = new LinearReadBuffer(10);
    assert.throws(() => buffer.append(Buffer.alloc(11)), /maximum size/);
  });
});

describe('text for the log', () => {
  it('makes one short line: colours dropped, breaks and control bytes escaped, length capped', () => {
    assert.equal(oneLine('\u001b[31mred\u001b[0m\nnext\u0000'), 'red ⏎ next\\u0000');
    const long = oneLine('z'.repeat(1_000), 100);
    assert.ok(long.startsWith('z'.repeat(100)) && long.endsWith('(900 more characters)'));
  });

  it('hides configured secrets, including the token of an Authorization header', () => {
    const redact = makeRedactor(['Bearer abc123token', 'hunter2-value', 'true']);
    assert.equal(redact('got abc123token and hunter2-value, true'), 'got *** and ***, true');
  });

  it('lets a burst of stderr through up to a budget, then says how much it dropped', () => {
    const lines: string[] = [];
    const throttle = new StderrThrottle((l) => lines.push(l));
    for (let i = 0; i < 1_000; i++) throttle.push(`line ${i}`);
    assert.equal(lines.length, 100);
    throttle.dispose();
    assert.match(lines.at(-1)!, /900 more stderr line\(s\) suppressed/);
  });
});

describe('text for a row', () => {
  it('cuts a long line at the end of a word, with no space or stop before the ellipsis', () => {
    // Seen in the e2e screenshots: "Client cancelled task executi…" for a task the server cancelled.
    assert.equal(clipLine('Client cancelled task execution.', 30), 'Client cancelled task…');
    assert.equal(clipLine('waiting for an answer: Which toast colour?', 30), 'waiting for an answer: Which…');
    assert.equal(clipLine('step 1/3: reading, then writing', 12), 'step 1/3…');
  });

  it('keeps short lines whole and cuts one long word where it must', () => {
    assert.equal(clipLine('  step\n 3/3 ', 30), 'step 3/3');
    assert.equal(clipLine('x'.repeat(40), 30), `${'x'.repeat(29)}…`);
    // A word boundary far back would throw away most of the room: cut in the word instead.
    assert.equal(clipLine(`ab ${'y'.repeat(40)}`, 30), `ab ${'y'.repeat(26)}…`);
    assert.ok(clipLine('a'.repeat(10) + ' ' + 'b'.repeat(100), 30).length <= 30);
  });
});
