// The CLI's pieces that need no server, in-process: argument parsing (the contract of every command
// line), the JSON-file storage that carries task ids between runs, and the column formatting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { table } from '../../../src/cli/output';
import { JsonFileStorage, stateDirectory, stateFileFor } from '../../../src/cli/JsonFileStorage';
import { sleep } from '../../support/waiting';
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

  describe('parseArgs errors (node:util parseArgs underneath, our messages on top)', function () {
    const cases: Array<[string[], RegExp]> = [
      [['-x', 'servers'], /^unknown option -x$/],
      [['--json=yes', 'servers'], /^--json takes no value$/],
      [['servers', '--ttl'], /^--ttl needs a value$/],
      [['--config=', 'servers'], /^--config needs a file name$/],
      [['run', 's', 't', '--output', 'f.txt'], /^--output needs --wait/],
      [['list', 's', '--output', 'f.txt'], /^--output only applies to run and result$/],
    ];
    for (const [argv, message] of cases) {
      it(`${argv.join(' ')} → ${message.source}`, function () {
        assert.throws(() => parseArgs(argv), (e: unknown) => e instanceof UsageError && message.test(e.message));
      });
    }

    it('groups short flags (-vh) and takes --output for run --wait and result', function () {
      const grouped = parseArgs(['-vh']);
      assert.equal(grouped.command.kind, 'help');
      assert.equal(grouped.verbose, true);
      assert.deepEqual(parseArgs(['result', 's', 'id', '--output=out.txt']).command, { kind: 'result', server: 's', taskId: 'id', output: 'out.txt' });
      assert.equal((parseArgs(['run', 's', 't', '--wait', '--output', 'o']).command as { output?: string }).output, 'o');
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

    it('keeps the known tasks of every run that wrote at once: union by taskId, newer fields kept', async function () {
      const file = path.join(dir, 'state.json');
      const key = 'mcpTasks.knownTasks/srv';
      // Eight runs, all loaded before any wrote (as concurrent processes are), each adding its own task.
      const runs = Array.from({ length: 8 }, () => new JsonFileStorage(file));
      await Promise.all(runs.map((s, i) => s.set(key, [{ taskId: `t${i}`, createdAt: i }])));
      const after = new JsonFileStorage(file).get<Array<{ taskId: string }>>(key) ?? [];
      assert.deepEqual(after.map((e) => e.taskId).sort(), ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
      // A run that saw t0 end writes only what it knows: t0's end is added, nothing else is lost.
      const late = new JsonFileStorage(file);
      await runs[0]!.set(key, [{ taskId: 't0', createdAt: 0, settledAt: 50, expired: true }]);
      const merged = new JsonFileStorage(file).get<Array<{ taskId: string; settledAt?: number }>>(key) ?? [];
      assert.equal(merged.length, 8);
      assert.deepEqual(merged.find((e) => e.taskId === 't0'), { taskId: 't0', createdAt: 0, settledAt: 50, expired: true });
      // An entry a run dropped itself (pruned) stays dropped; what others added meanwhile stays.
      const base = late.get<Array<{ taskId: string }>>(key)!;
      await new JsonFileStorage(file).set(key, [...merged, { taskId: 'new', createdAt: 99 }]);
      await late.set(key, base.filter((e) => e.taskId !== 't7'));
      const final = (new JsonFileStorage(file).get<Array<{ taskId: string }>>(key) ?? []).map((e) => e.taskId).sort();
      assert.deepEqual(final, ['new', 't0', 't1', 't2', 't3', 't4', 't5', 't6']);
      assert.deepEqual(fs.readdirSync(dir), ['state.json'], 'no lock or temp file is left');
    });

    it('waits for a live lock, and takes over one left behind by a run that died', async function () {
      const file = path.join(dir, 'state.json');
      const lock = `${file}.lock`;
      fs.writeFileSync(lock, 'someone');
      const s = new JsonFileStorage(file, undefined, { staleLockMs: 400 });
      let done = false;
      const write = s.set('k', 1).then(() => (done = true));
      await sleep(150);
      assert.equal(done, false, 'a fresh lock is waited for');
      assert.equal(fs.existsSync(file), false);
      await write;
      assert.equal(new JsonFileStorage(file).get('k'), 1, 'written once the lock went stale');
      assert.equal(fs.existsSync(lock), false, 'the lock is released');
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
