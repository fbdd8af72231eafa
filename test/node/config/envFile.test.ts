import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadServerConfigs, parseEnvFile, parseMcpConfigText, type StdioServerConfig } from '../../../src/core/config';
import { errorMatching, serverNamed, WORKSPACE } from './helpers';

describe('config: parseEnvFile', () => {
  it('reads KEY=VALUE lines with comments, export, quotes and escapes', () => {
    const text = [
      '\uFEFF# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      '  SPACED = padded  ',
      'INLINE=abc # trailing comment',
      'HASH=a#b',
      'DOUBLE="with spaces # not a comment"',
      "SINGLE='raw \\n stays'",
      'ESCAPED="line1\\nline2\\ttab \\"q\\""',
      'WINPATH="C:\\dir\\file"',
      'EMPTY=',
      'MULTI="first',
      'second"',
      'PLAIN=overridden',
    ].join('\r\n');
    const { values, problems } = parseEnvFile(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(values, {
      PLAIN: 'overridden',
      EXPORTED: 'yes',
      SPACED: 'padded',
      INLINE: 'abc',
      HASH: 'a#b',
      DOUBLE: 'with spaces # not a comment',
      SINGLE: 'raw \\n stays',
      ESCAPED: 'line1\nline2\ttab "q"',
      WINPATH: 'C:\\dir\\file',
      EMPTY: '',
      MULTI: 'first\nsecond',
    });
  });

  it('reports malformed lines by number without their content, and keeps the rest', () => {
    const { values, problems } = parseEnvFile('GOOD=1\nthis is secret-ish\nALSO=2\nOPEN="never closed\n');
    assert.deepEqual(values, { GOOD: '1', ALSO: '2' });
    assert.deepEqual(problems, [
      { line: 2, problem: 'expected KEY=VALUE' },
      { line: 4, problem: 'the quoted value of OPEN is not closed' },
    ]);
  });
});

describe('config: envFile in a server', () => {
  const FOLDER = path.resolve('/ws');
  const files: Record<string, string> = { [path.join(FOLDER, '.env')]: 'A=from-file\nB=from-file\nBROKEN LINE\n' };
  const readFile = async (p: string) => {
    const text = files[p];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return text;
  };

  it('merges the file under env (explicit env wins), resolving a relative path against the folder', async () => {
    const source = parseMcpConfigText(JSON.stringify({ servers: { s: { command: 'x', envFile: '.env', env: { B: 'explicit', C: 'c' } } } }), WORKSPACE);
    const { servers, errors } = await loadServerConfigs([source], { workspaceFolder: FOLDER, readFile });
    const s = serverNamed(servers, 's') as StdioServerConfig;
    assert.deepEqual(s.env, { A: 'from-file', B: 'explicit', C: 'c' });
    assert.equal(s.envFile, path.join(FOLDER, '.env'));
    // A bad line is reported but does not stop the server.
    errorMatching(errors, "server 's'", 'line 3: expected KEY=VALUE');
  });

  it('resolves variables in envFile', async () => {
    const source = parseMcpConfigText(JSON.stringify({ servers: { s: { command: 'x', envFile: '${workspaceFolder}/.env' } } }), WORKSPACE);
    const { servers } = await loadServerConfigs([source], { workspaceFolder: FOLDER, readFile });
    assert.equal((serverNamed(servers, 's') as StdioServerConfig).env['A'], 'from-file');
  });

  it('makes a server with an unreadable envFile unavailable, naming file, server and path', async () => {
    const source = parseMcpConfigText(JSON.stringify({ servers: { s: { command: 'x', envFile: 'missing.env' }, t: { command: 'y' } } }), WORKSPACE);
    const { servers, errors } = await loadServerConfigs([source], { workspaceFolder: FOLDER, readFile });
    assert.deepEqual(servers.map((s) => s.id), ['t']);
    const error = errorMatching(errors, 'could not be read');
    assert.ok(error.message.startsWith(`${WORKSPACE.source}:1:13: server 's': envFile "${path.join(FOLDER, 'missing.env')}"`), error.message);
    assert.match(error.message, /\(ENOENT\)$/);
  });
});
