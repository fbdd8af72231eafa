// A file cut in half (a save interrupted, a half-pasted snippet) must never start the server it was cut in:
// its definition may be missing arguments, env or a whole `cwd`, and running it could do the wrong thing.
import * as assert from 'node:assert/strict';
import { parseMcpConfigText } from '../../../src/core/config';
import { WORKSPACE } from './helpers';

const whole = `{
  "servers": {
    "ok": { "command": "node", "args": ["ok.js"] },
    "cut": { "command": "node", "args": ["cut.js", "--dry-run"], "env": { "MODE": "safe" } }
  }
}`;

describe('config: a file cut in half', () => {
  it('never yields the server it was cut in, at any cut point, and keeps the servers before it', () => {
    const cutStart = whole.indexOf('"cut"');
    // Every cut from inside its name up to (not including) the brace that closes its definition.
    const closing = whole.lastIndexOf('}', whole.indexOf('\n', cutStart));
    for (let end = cutStart + 1; end <= closing; end++) {
      const parsed = parseMcpConfigText(whole.slice(0, end), WORKSPACE);
      const names = parsed.servers.map((s) => s.name);
      assert.ok(!names.includes('cut'), `cut at ${end} (…${JSON.stringify(whole.slice(end - 12, end))}) started "cut": ${JSON.stringify(parsed.servers)}`);
      assert.deepEqual(names, ['ok'], `cut at ${end}`);
      if (end >= cutStart + '"cut"'.length) {
        assert.ok(parsed.errors.some((e) => e.server === 'cut' && /syntax error/.test(e.message)), `cut at ${end}: the error names the server: ${JSON.stringify(parsed.errors)}`);
      }
    }
  });

  it('reports each syntax problem once', () => {
    const parsed = parseMcpConfigText(whole.slice(0, whole.indexOf('--dry-run')), WORKSPACE);
    const messages = parsed.errors.map((e) => `${e.server} ${e.message}`);
    assert.equal(new Set(messages).size, messages.length, messages.join('\n'));
  });

  it('a missing comma between two whole servers breaks neither (the error is reported once, at the second)', () => {
    const parsed = parseMcpConfigText('{"servers":{"a":{"command":"a"}"b":{"command":"b"}}}', WORKSPACE);
    assert.deepEqual(parsed.servers.map((s) => s.name), ['a', 'b']);
    assert.equal(parsed.errors.length, 1, JSON.stringify(parsed.errors));
  });
});
