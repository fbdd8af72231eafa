// The CLI's pieces that need no server, in-process: argument parsing (the contract of every command
// line), the JSON-file storage that carries task ids between runs, and the column formatting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { table } from '../../../src/cli/output';
import { JsonFileStorage, stateDirectory, stateFileFor } from '../../../src/cli/JsonFileStorage';
import { tempDir } from './helpers';

describe('mcp-tasks CLI parts', function () {
  describe('parseArgs', function () {
    it('accepts options before or after the command, and --opt=value', function () {
      const a = parseArgs(['--json', '--config', 'x.json', 'run', 'srv', 'tool', '{"a":1}', '--wait', '--ttl=5000']);
      assert.equal(a.json, true);
      assert.equal(a.config, 'x.json');
      assert.deepEqual(a.command, { kind: 'run', server: 'srv', tool: 'tool', args: { a: 1 }, wait: true, ttlMs: 5000 });
      const b = parseArgs(['get', 'srv', 'id-1', '--config=y.json']);
      assert.deepEqual(b.command, { kind: 'get', server: 'srv', taskId: 'id-1' });
      assert.equal(b.config, 'y.json');
    });

    it('takes arguments after -- literally, so JSON starting with "-" still works', function () {
      const a = parseArgs(['run', 'srv', 'tool', '--', '{"flag":"--wait"}']);
      assert.deepEqual(a.command, { kind: 'run', server: 'srv', tool: 'tool', args: { flag: '--wait' }, wait: false });
    });

    it('lets --help win even over a broken command line (it is what someone lost types)', function () {
      assert.equal(parseArgs(['frobnicate', '--help']).command.kind, 'help');
      assert.equal(parseArgs(['help']).command.kind, 'help');
    });

    it('throws UsageError for what would otherwise be silently misread', function () {
      for (const argv of [['run', 'srv', 'tool', '--ttl', '1.5'], ['run', 'srv', 'tool', '--ttl', '-3'], ['--json=yes', 'servers'], ['get', 'srv', ''], ['watch', 'srv', '--ttl', '5']]) {
        assert.throws(() => parseArgs(argv), UsageError, argv.join(' '));
      }
    });
  });

  describe('JsonFileStorage', function () {
    let dir: string;
    beforeEach(() => (dir = tempDir('mcp-tasks-state-')));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('keeps values across instances (runs), creating its folder', async function () {
      const file = path.join(dir, 'nested', 'state.json');
      const first = new JsonFileStorage(file, '/some/mcp.json');
      await first.set('k', [{ taskId: 't1' }]);
      assert.deepEqual(new JsonFileStorage(file).get('k'), [{ taskId: 't1' }]);
      // Atomic writes leave no temp files behind.
      assert.deepEqual(fs.readdirSync(path.dirname(file)), ['state.json']);
    });

    it('merges with what another run wrote meanwhile instead of overwriting it', async function () {
      const file = path.join(dir, 'state.json');
      const a = new JsonFileStorage(file);
      const b = new JsonFileStorage(file); // loaded before a writes: it has not seen a's key
      await a.set('server-a', ['x']);
      await b.set('server-b', ['y']);
      const after = new JsonFileStorage(file);
      assert.deepEqual(after.get('server-a'), ['x']);
      assert.deepEqual(after.get('server-b'), ['y']);
    });

    it('starts empty from a corrupt file rather than failing the command', async function () {
      const file = path.join(dir, 'state.json');
      fs.writeFileSync(file, '{ not json');
      const s = new JsonFileStorage(file);
      assert.equal(s.get('k'), undefined);
      await s.set('k', 1);
      assert.equal(new JsonFileStorage(file).get('k'), 1);
    });

    it('lives in MCP_TASKS_STATE_DIR, else XDG_STATE_HOME, else ~/.local/state, one file per config', function () {
      assert.equal(stateDirectory({ MCP_TASKS_STATE_DIR: '/a', XDG_STATE_HOME: '/b' }, '/home/u'), path.resolve('/a'));
      assert.equal(stateDirectory({ XDG_STATE_HOME: '/b' }, '/home/u'), path.join('/b', 'mcp-tasks'));
      assert.equal(stateDirectory({ XDG_STATE_HOME: 'relative' }, '/home/u'), path.join('/home/u', '.local', 'state', 'mcp-tasks'));
      assert.notEqual(stateFileFor('/p1/.vscode/mcp.json', '/s'), stateFileFor('/p2/.vscode/mcp.json', '/s'), 'projects never share known ids');
      assert.equal(stateFileFor('/p1/.vscode/mcp.json', '/s'), stateFileFor('/p1/.vscode/../.vscode/mcp.json', '/s'), 'the same file by another path is the same state');
    });
  });

  describe('table', function () {
    it('aligns columns to the widest cell without trailing blanks', function () {
      assert.equal(table(['ID', 'STATUS', 'MESSAGE'], [['a', 'working', 'step 1'], ['bbbb', 'failed', '']]), 'ID    STATUS   MESSAGE\na     working  step 1\nbbbb  failed\n');
    });
  });
});
