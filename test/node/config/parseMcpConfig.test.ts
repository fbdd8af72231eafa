import * as assert from 'node:assert/strict';
import { parseMcpConfigObject, parseMcpConfigText, parseServersSetting } from '../../../src/core/config';
import { errorMatching, USER, WORKSPACE } from './helpers';

describe('config: parseMcpConfigText', () => {
  it('reads the VS Code shape with comments and trailing commas, inferring stdio and http', () => {
    const text = `{
      // a comment
      "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true, },],
      "servers": {
        /* block comment */
        "local": { "command": "node", "args": ["server.js", "--stdio",], "env": { "A": "1", "PORT": 8080 }, "cwd": "sub", },
        "remote": { "url": "https://example.com/mcp", "headers": { "X-Key": "k" } },
        "legacy": { "type": "sse", "url": "https://example.com/sse" },
        "typed": { "type": "stdio", "command": "python" },
      },
    }`;
    const parsed = parseMcpConfigText(text, WORKSPACE);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.inputs, [{ id: 'token', type: 'promptString', description: 'API token', password: true }]);
    assert.deepEqual(parsed.allNames, ['local', 'remote', 'legacy', 'typed']);
    const [local, remote, legacy, typed] = parsed.servers;
    assert.deepEqual({ ...local, position: undefined }, {
      name: 'local',
      position: undefined,
      type: 'stdio',
      command: 'node',
      args: ['server.js', '--stdio'],
      env: { A: '1', PORT: '8080' },
      cwd: 'sub',
    });
    assert.deepEqual(local!.position, { line: 6, column: 9 });
    assert.equal(remote!.type, 'http');
    assert.deepEqual(remote!.type === 'http' && remote!.headers, { 'X-Key': 'k' });
    assert.equal(legacy!.type, 'sse');
    assert.equal(typed!.type, 'stdio');
    assert.equal(parsed.source, WORKSPACE.source);
    assert.equal(parsed.fromWorkspace, true);
  });

  it('reads the Claude Desktop / Cursor mcpServers shape, with type or transport names of other clients', () => {
    const text = JSON.stringify({
      mcpServers: {
        fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: '1' } },
        web: { url: 'https://example.com/mcp' },
        old: { url: 'https://example.com/sse', transport: 'sse' },
        stream: { url: 'https://example.com/mcp', type: 'streamable-http' },
      },
    });
    const parsed = parseMcpConfigText(text, USER);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(
      parsed.servers.map((s) => [s.name, s.type]),
      [['fs', 'stdio'], ['web', 'http'], ['old', 'sse'], ['stream', 'http']],
    );
    assert.deepEqual(parsed.servers[0]!.type === 'stdio' && parsed.servers[0]!.args, ['-y', '@modelcontextprotocol/server-filesystem', '/tmp']);
  });

  it('treats an empty or comment-only file as no servers and no errors', () => {
    for (const text of ['', '   \n', '// nothing yet\n', '{}']) {
      const parsed = parseMcpConfigText(text, USER);
      assert.deepEqual([parsed.servers, parsed.errors], [[], []], JSON.stringify(text));
    }
  });

  it('reports a syntax error with file, line:column and the server, and keeps the other servers', () => {
    const text = ['{', '  "servers": {', '    "good": { "command": "a" },', '    "bad": { "command": "b",, "args": [] },', '    "after": { "command": "c" }', '  }', '}'].join('\n');
    const parsed = parseMcpConfigText(text, USER);
    assert.deepEqual(parsed.servers.map((s) => s.name), ['good', 'after']);
    const error = errorMatching(parsed.errors, 'expected a property name');
    assert.equal(error.server, 'bad');
    assert.equal(error.source, USER.source);
    assert.match(error.message, /^\/home\/me\/\.config\/Code\/User\/mcp\.json:4:29: server 'bad': syntax error: /);
    assert.match(error.message, /skipped until it is fixed/);
  });

  it('keeps both servers around a missing comma, reporting the position', () => {
    const text = '{"servers": {\n"a": {"command": "x"}\n"b": {"command": "y"}}}';
    const parsed = parseMcpConfigText(text, USER);
    assert.deepEqual(parsed.servers.map((s) => s.name), ['a', 'b']);
    const error = errorMatching(parsed.errors, "expected ','");
    assert.equal(error.message, `${USER.source}:3:1: syntax error: expected ',' between entries`);
  });

  it('counts \\r\\n line breaks once when giving positions', () => {
    const parsed = parseMcpConfigText('{\r\n"servers": {\r\n  "a": {"command": }\r\n}}', USER);
    assert.match(errorMatching(parsed.errors, 'expected a value').message, /mcp\.json:3:20: server 'a'/);
  });

  it('reports unquoted keys in plain words and names the server', () => {
    const parsed = parseMcpConfigText('{"servers": {"a": {command: "x"}, "b": {"command": "y"}}}', USER);
    assert.deepEqual(parsed.servers.map((s) => s.name), ['b']);
    assert.equal(errorMatching(parsed.errors, 'need double quotes').server, 'a');
  });

  it('rejects an unknown type, naming file, server and the supported types', () => {
    const parsed = parseMcpConfigText('{"servers": {\n  "ws": {"type": "websocket", "url": "wss://x"},\n  "ok": {"command": "x"}}}', WORKSPACE);
    assert.deepEqual(parsed.servers.map((s) => s.name), ['ok']);
    const error = errorMatching(parsed.errors, 'websocket');
    assert.equal(error.message, `${WORKSPACE.source}:2:10: server 'ws': type "websocket" is not supported; use stdio, http or sse`);
    assert.equal(error.server, 'ws');
  });

  it('reports a missing command or url, and a server with both', () => {
    const parsed = parseMcpConfigText(
      JSON.stringify({ servers: { none: { args: ['x'] }, typedNoCommand: { type: 'stdio' }, typedNoUrl: { type: 'http' }, both: { command: 'x', url: 'http://h' } } }),
      USER,
    );
    assert.deepEqual(parsed.servers, []);
    assert.match(errorMatching(parsed.errors, "server 'none'").message, /neither "command".*nor "url"/);
    errorMatching(parsed.errors, "server 'typedNoCommand'", '"command" is missing');
    errorMatching(parsed.errors, "server 'typedNoUrl'", '"url" is missing');
    errorMatching(parsed.errors, "server 'both'", 'both "command" and "url"');
  });

  it('reports wrong-typed fields by name and position, and drops only that server', () => {
    const text = JSON.stringify(
      {
        servers: {
          a: { command: 'x', args: 'one two' },
          b: { command: 'x', args: ['ok', 3] },
          c: { command: 'x', env: { GOOD: 'v', BAD: true } },
          d: { url: 'http://h', headers: ['Authorization: x'] },
          e: { command: 42 },
          f: { command: 'x', cwd: false },
          g: 'npx server',
          fine: { command: 'x' },
        },
      },
      null,
      2,
    );
    const parsed = parseMcpConfigText(text, USER);
    assert.deepEqual(parsed.servers.map((s) => s.name), ['fine']);
    errorMatching(parsed.errors, "server 'a'", '"args" must be an array of strings, not a string');
    assert.match(errorMatching(parsed.errors, "server 'b'", 'item 2 is a number').message, /mcp\.json:11:9:/);
    errorMatching(parsed.errors, "server 'c'", "env variable 'BAD' must be a string, not a boolean");
    errorMatching(parsed.errors, "server 'd'", '"headers" must be an object');
    errorMatching(parsed.errors, "server 'e'", '"command" must be a string, not a number');
    errorMatching(parsed.errors, "server 'f'", '"cwd" must be a string, not a boolean');
    errorMatching(parsed.errors, "server 'g'", 'must be an object');
  });

  it('flags likely typos with a did-you-mean hint, and leaves other unknown keys alone', () => {
    const text = JSON.stringify({
      servers: {
        a: { comand: 'node' },
        b: { command: 'node', arg: ['x'], Env: {}, dev: { watch: '*.js' }, disabled: false },
        c: { url: 'http://h', headres: { A: 'b' } },
      },
      sevrers: {},
    });
    const parsed = parseMcpConfigText(text, USER);
    errorMatching(parsed.errors, "server 'a'", 'unknown key "comand" — did you mean "command"?');
    errorMatching(parsed.errors, "server 'b'", 'unknown key "arg" — did you mean "args"?');
    errorMatching(parsed.errors, "server 'b'", 'unknown key "Env" — did you mean "env"?');
    errorMatching(parsed.errors, "server 'c'", 'unknown key "headres" — did you mean "headers"?');
    errorMatching(parsed.errors, 'unknown key "sevrers" — did you mean "servers"?');
    assert.ok(!parsed.errors.some((e) => e.message.includes('"dev"') || e.message.includes('disabled')));
    // A typo costs the setting, not the server.
    assert.deepEqual(parsed.servers.map((s) => s.name), ['b', 'c']);
  });

  it('reports a name defined twice in one file and uses the last definition', () => {
    const parsed = parseMcpConfigText('{"servers": {"a": {"command": "first"}, "a": {"command": "second"}}, "mcpServers": {"b": {"command": "x"}}}', USER);
    assert.deepEqual(parsed.allNames, ['a', 'b']);
    assert.equal(parsed.servers[0]!.type === 'stdio' && parsed.servers[0]!.command, 'second');
    assert.match(errorMatching(parsed.errors, 'more than once').message, /mcp\.json:1:41: server 'a'/);
  });

  it('reports invalid inputs without losing the servers', () => {
    const text = JSON.stringify({
      inputs: [{ type: 'promptString', id: 'ok' }, { type: 'command', id: 'cmd' }, { type: 'pickString', id: 'pick' }, { id: 'ok' }, { description: 'no id' }],
      servers: { s: { command: 'x' } },
    });
    const parsed = parseMcpConfigText(text, USER);
    assert.deepEqual(parsed.inputs.map((i) => i.id), ['ok']);
    errorMatching(parsed.errors, `input 'cmd': type "command" is not supported`);
    errorMatching(parsed.errors, `input 'pick': a pickString input needs "options"`);
    errorMatching(parsed.errors, `input 'ok' is defined twice`);
    errorMatching(parsed.errors, 'an input has no "id"');
    assert.deepEqual(parsed.servers.map((s) => s.name), ['s']);
  });

  it('takes pickString options as strings or { label, value } objects', () => {
    const parsed = parseMcpConfigText(
      JSON.stringify({ inputs: [{ type: 'pickString', id: 'env', options: ['dev', { label: 'Production', value: 'prod' }], default: 'dev' }] }),
      USER,
    );
    assert.deepEqual(parsed.inputs, [{ id: 'env', type: 'pickString', options: ['dev', 'prod'], default: 'dev' }]);
  });

  it('rejects a document that is not an object', () => {
    const parsed = parseMcpConfigText('[1, 2]', USER);
    assert.equal(errorMatching(parsed.errors, 'expected an object').message, `${USER.source}:1:1: expected an object with "servers" (or "mcpServers"), not an array`);
  });

  it('does not take a server named after an Object.prototype member from the prototype', () => {
    const parsed = parseMcpConfigText('{"servers": {"constructor": {"url": "http://h"}, "__proto__": {"command": "x"}}}', USER);
    assert.deepEqual(parsed.servers.map((s) => [s.name, s.type]), [['constructor', 'http'], ['__proto__', 'stdio']]);
  });
});

describe('config: parsing already-parsed values (settings)', () => {
  const SETTINGS = { source: 'settings (mcpTasks.servers)', fromWorkspace: false };

  it('parseServersSetting takes the servers map itself and names the source in errors', () => {
    const parsed = parseServersSetting({ a: { command: 'x' }, b: { type: 'websocket' } }, SETTINGS);
    assert.deepEqual(parsed.servers.map((s) => s.name), ['a']);
    assert.equal(errorMatching(parsed.errors, 'websocket').message, `settings (mcpTasks.servers): server 'b': type "websocket" is not supported; use stdio, http or sse`);
  });

  it('parseServersSetting accepts inputs alongside', () => {
    const parsed = parseServersSetting({}, SETTINGS, [{ type: 'promptString', id: 'k' }]);
    assert.deepEqual(parsed.inputs, [{ id: 'k', type: 'promptString' }]);
  });

  it('parseServersSetting reports a setting that is not an object', () => {
    const parsed = parseServersSetting(['x'], SETTINGS);
    errorMatching(parsed.errors, '"servers" must be an object of server names to definitions, not an array');
  });

  it('parseMcpConfigObject reads either whole-document shape', () => {
    assert.deepEqual(parseMcpConfigObject({ servers: { a: { url: 'http://h' } } }, SETTINGS).servers.map((s) => s.name), ['a']);
    assert.deepEqual(parseMcpConfigObject({ mcpServers: { b: { command: 'x' } } }, SETTINGS).servers.map((s) => s.name), ['b']);
  });
});
