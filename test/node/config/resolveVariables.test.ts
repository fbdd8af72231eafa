import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadServerConfigs, parseMcpConfigText, type ConfigContext, type HttpServerConfig, type StdioServerConfig } from '../../../src/core/config';
import type { InputResolver } from '../../../src/core/model/ports';
import { errorMatching, serverNamed, USER, WORKSPACE } from './helpers';

const FOLDER = path.resolve('/ws');
const parse = (doc: unknown, origin = WORKSPACE) => parseMcpConfigText(JSON.stringify(doc), origin);

/** Answers from a table; undefined answers mean "dismissed". Records every question. */
function resolver(answers: Record<string, string | undefined>): InputResolver & { asked: Parameters<InputResolver>[0][] } {
  const asked: Parameters<InputResolver>[0][] = [];
  const fn = async (input: Parameters<InputResolver>[0]) => {
    asked.push(input);
    return answers[input.id];
  };
  return Object.assign(fn, { asked });
}

const ctx = (extra: Partial<ConfigContext> = {}): ConfigContext => ({
  workspaceFolder: FOLDER,
  env: { HOME_DIR: '/home/me', TOKEN: 's3cret' },
  userHome: '/home/me',
  pathSeparator: '/',
  ...extra,
});

describe('config: variables', () => {
  it('resolves workspace, env, home and separator variables in every stdio field', async () => {
    const source = parse({
      servers: {
        s: {
          command: '${workspaceFolder}/bin/server',
          args: ['--home=${userHome}', 'a${/}b${pathSeparator}c', '--missing=${env:NOT_SET}'],
          env: { T: '${env:TOKEN}' },
          cwd: '${workspaceFolderBasename}-dir',
        },
      },
    });
    const { servers, errors } = await loadServerConfigs([source], ctx());
    assert.deepEqual(errors, []);
    const s = serverNamed(servers, 's') as StdioServerConfig;
    assert.equal(s.command, `${FOLDER}/bin/server`);
    assert.deepEqual(s.args, ['--home=/home/me', 'a/b/c', '--missing=']);
    assert.deepEqual(s.env, { T: 's3cret' });
    assert.equal(s.cwd, path.join(FOLDER, 'ws-dir'));
  });

  it('resolves url and headers of http servers', async () => {
    const source = parse({ servers: { h: { url: 'https://${env:HOST}/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } } } });
    const { servers } = await loadServerConfigs([source], ctx({ env: { HOST: 'api.example.com', TOKEN: 't' } }));
    const h = serverNamed(servers, 'h') as HttpServerConfig;
    assert.equal(h.url, 'https://api.example.com/mcp');
    assert.deepEqual(h.headers, { Authorization: 'Bearer t' });
  });

  it('resolves ${workspaceFolder:name} from the open folders, and reports an unknown folder name', async () => {
    const source = parse({ servers: { a: { command: '${workspaceFolder:api}/run' }, b: { command: '${workspaceFolder:nope}/run' } } });
    const { servers, errors } = await loadServerConfigs([source], ctx({ workspaceFolders: [{ name: 'api', path: '/repos/api' }] }));
    assert.equal((serverNamed(servers, 'a') as StdioServerConfig).command, '/repos/api/run');
    errorMatching(errors, WORKSPACE.source, "server 'b'", "no open folder is named 'nope'");
  });

  it('uses a source’s own folder for ${workspaceFolder} in multi-root workspaces', async () => {
    const source = parseMcpConfigText(JSON.stringify({ servers: { a: { command: '${workspaceFolder}/x', cwd: 'sub' } } }), { ...WORKSPACE, workspaceFolder: '/other' });
    const { servers } = await loadServerConfigs([source], ctx());
    const a = serverNamed(servers, 'a') as StdioServerConfig;
    assert.equal(a.command, '/other/x');
    assert.equal(a.cwd, path.resolve('/other', 'sub'));
  });

  it('rejects unknown variables for that server only, naming file, server, variable and field', async () => {
    const source = parse({ servers: { bad: { command: 'x', args: ['${config:editor.fontSize}'] }, good: { command: 'y' } } });
    const { servers, errors } = await loadServerConfigs([source], ctx());
    assert.deepEqual(servers.map((s) => s.id), ['good']);
    const error = errorMatching(errors, 'unknown variable ${config:editor.fontSize}');
    assert.match(error.message, /^\/ws\/\.vscode\/mcp\.json:1:\d+: server 'bad': unknown variable .* \(in "args" item 1\)$/s);
  });

  it('reports ${workspaceFolder} and relative paths when no folder is open', async () => {
    const source = parse({ servers: { a: { command: '${workspaceFolder}/x' }, b: { command: 'x', cwd: 'rel' }, c: { command: 'x', cwd: '/abs' } } }, USER);
    const { servers, errors } = await loadServerConfigs([source], ctx({ workspaceFolder: undefined }));
    assert.deepEqual(servers.map((s) => s.id), ['c']);
    errorMatching(errors, "server 'a'", '${workspaceFolder} is used but no folder is open');
    errorMatching(errors, "server 'b'", '"cwd" is a relative path but no folder is open');
  });

  it('reports an invalid URL after resolution without showing query or credentials', async () => {
    const source = parse({ servers: { a: { url: 'not a url?key=abc' }, b: { url: 'ftp://user:pw@host/x' }, c: { url: '${env:EMPTY}' } } });
    const { servers, errors } = await loadServerConfigs([source], ctx());
    assert.deepEqual(servers, []);
    assert.match(errorMatching(errors, "server 'a'").message, /"url" is not a valid http\(s\) URL: "not a url"$/);
    const b = errorMatching(errors, "server 'b'").message;
    assert.ok(b.includes('"ftp://host/x"') && !b.includes('pw'), b);
    errorMatching(errors, "server 'c'", 'not a valid http(s) URL');
  });

  it('takes a value containing ${...} literally instead of expanding it again', async () => {
    const source = parse({ servers: { a: { command: 'x', args: ['${env:TRICK}'] } } });
    const { servers } = await loadServerConfigs([source], ctx({ env: { TRICK: '${env:TOKEN}', TOKEN: 'no' } }));
    assert.deepEqual((serverNamed(servers, 'a') as StdioServerConfig).args, ['${env:TOKEN}']);
  });
});

describe('config: ${input:...}', () => {
  const inputs = [
    { type: 'promptString', id: 'token', description: 'API token', password: true },
    { type: 'pickString', id: 'region', options: ['eu', 'us'], default: 'eu' },
  ];

  it('passes the input definition to the resolver and substitutes the answer', async () => {
    const ask = resolver({ token: 'T', region: 'us' });
    const source = parse({ inputs, servers: { a: { url: 'https://${input:region}.example.com', headers: { Authorization: 'Bearer ${input:token}' } } } });
    const { servers, errors } = await loadServerConfigs([source], ctx({ resolveInput: ask }));
    assert.deepEqual(errors, []);
    const a = serverNamed(servers, 'a') as HttpServerConfig;
    assert.equal(a.url, 'https://us.example.com');
    assert.deepEqual(a.headers, { Authorization: 'Bearer T' });
    assert.deepEqual(ask.asked, [
      { id: 'region', type: 'pickString', options: ['eu', 'us'], default: 'eu' },
      { id: 'token', type: 'promptString', description: 'API token', password: true },
    ]);
  });

  it('asks each input once per run even when several servers and fields use it', async () => {
    const ask = resolver({ token: 'T' });
    const source = parse({
      inputs,
      servers: { a: { command: 'x', args: ['${input:token}'], env: { K: '${input:token}' } }, b: { url: 'https://h', headers: { A: '${input:token}' } } },
    });
    const { servers } = await loadServerConfigs([source], ctx({ resolveInput: ask }));
    assert.equal(servers.length, 2);
    assert.deepEqual(ask.asked.map((i) => i.id), ['token']);
    // A second run asks again: answers are the host's to remember, not this module's.
    await loadServerConfigs([source], ctx({ resolveInput: ask }));
    assert.equal(ask.asked.length, 2);
  });

  it('makes only the server whose input was dismissed unavailable, with a clear error', async () => {
    const ask = resolver({ token: undefined, region: 'eu' });
    const source = parse({ inputs, servers: { a: { command: 'x', env: { T: '${input:token}' } }, b: { command: 'y', args: ['${input:region}'] } } });
    const { servers, errors } = await loadServerConfigs([source], ctx({ resolveInput: ask }));
    assert.deepEqual(servers.map((s) => s.id), ['b']);
    const error = errorMatching(errors, "input 'token' was dismissed");
    assert.equal(error.server, 'a');
    assert.match(error.message, /^\/ws\/\.vscode\/mcp\.json:1:\d+: server 'a': /);
  });

  it('does not ask again for an input dismissed earlier in the run', async () => {
    const ask = resolver({});
    const source = parse({ inputs, servers: { a: { command: '${input:token}' }, b: { command: '${input:token}' } } });
    const { errors } = await loadServerConfigs([source], ctx({ resolveInput: ask }));
    assert.equal(ask.asked.length, 1);
    errorMatching(errors, "server 'b'", "input 'token' was dismissed");
  });

  it('asks nothing for a server that fails on another variable', async () => {
    const ask = resolver({ token: 'T' });
    const source = parse({ inputs, servers: { a: { command: '${input:token}', args: ['${nope}'] } } });
    const { errors } = await loadServerConfigs([source], ctx({ resolveInput: ask }));
    assert.deepEqual(ask.asked, []);
    errorMatching(errors, "server 'a'", 'unknown variable ${nope}');
  });

  it('reports an input missing from "inputs", or no resolver at all', async () => {
    const source = parse({ inputs, servers: { a: { command: '${input:other}' }, b: { command: '${input:token}' } } });
    const withResolver = await loadServerConfigs([source], ctx({ resolveInput: resolver({ token: 'T' }) }));
    errorMatching(withResolver.errors, "server 'a'", `input 'other' is not defined in "inputs"`);
    assert.deepEqual(withResolver.servers.map((s) => s.id), ['b']);
    const without = await loadServerConfigs([source], ctx());
    errorMatching(without.errors, "server 'b'", "input 'token' cannot be asked for here");
  });

  it('keeps answers per source, so another file reusing an input id is asked for itself', async () => {
    const ask = resolver({ token: 'T' });
    const user = parse({ inputs, servers: { u: { command: '${input:token}' } } }, USER);
    const workspace = parse({ inputs, servers: { w: { command: '${input:token}' } } }, WORKSPACE);
    await loadServerConfigs([user, workspace], ctx({ resolveInput: ask }));
    assert.equal(ask.asked.length, 2);
  });

  it('reports a resolver that throws as that server’s error', async () => {
    const source = parse({ inputs, servers: { a: { command: '${input:token}' }, b: { command: 'ok' } } });
    const failing: InputResolver = async () => {
      throw new Error('secret storage unavailable');
    };
    const { servers, errors } = await loadServerConfigs([source], ctx({ resolveInput: failing }));
    assert.deepEqual(servers.map((s) => s.id), ['b']);
    errorMatching(errors, "server 'a'", "input 'token' could not be answered: secret storage unavailable");
  });
});
