// Several `mcp-tasks` processes at once against one config share one state file (the task ids each run
// started, the stored HTTP session). None may lose another's ids or answers, however many run together.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { assertExit, installCli, runCli, tempDir } from './helpers';

describe('mcp-tasks CLI: concurrent runs', function () {
  this.timeout(60_000);

  let dir: string;
  let http: HttpDemoServer;
  let entry: string;
  let config: string;

  before(async function () {
    dir = tempDir('mcp-tasks-concurrent-');
    entry = installCli(path.join(dir, 'installed'));
    // --no-list: the server cannot list tasks, so `list` shows exactly the ids the CLI remembered.
    http = await startHttpDemoServer(['--no-list']);
    config = path.join(dir, 'mcp.json');
    fs.writeFileSync(config, JSON.stringify({ servers: { remote: { type: 'http', url: http.url } } }));
  });

  after(async function () {
    await http?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('8 concurrent `run`s against one HTTP server: `list` then shows all 8 tasks', async function () {
    const env = { MCP_TASKS_STATE_DIR: path.join(dir, 'state') };
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runCli(entry, ['--config', config, 'run', 'remote', 'endless-job', `{"tickMs":200,"label":"n${i}"}`], { env, timeoutMs: 40_000 })),
    );
    runs.forEach((run, i) => assertExit(run, 0, `run ${i}`));
    const ids = runs.map((r) => r.stdout.trim());
    assert.equal(new Set(ids).size, 8, `8 distinct ids: ${ids.join(', ')}`);

    const listed = await runCli(entry, ['--config', config, '--json', 'list', 'remote'], { env });
    assertExit(listed, 0, 'list');
    const shown = (JSON.parse(listed.stdout) as Array<{ taskId: string; status: string }>).map((t) => t.taskId);
    assert.deepEqual(ids.filter((id) => !shown.includes(id)), [], `every started id is listed; list showed ${shown.length}: ${shown.join(', ')}`);
    // The lock file is gone and no temp file is left behind.
    assert.deepEqual(fs.readdirSync(env.MCP_TASKS_STATE_DIR).filter((f) => !f.endsWith('.json')), []);
  });

  it('6 concurrent `result`s resume one stored HTTP session and wait at once: none is left waiting', async function () {
    // Every process resumes the same session and sends the same sequence of requests (one remembered
    // task: the same polls, then tasks/result). Ids that collided inside the session (every Client
    // counting from 0) had the server answer one process on another's stream, and the other waited for ever.
    const env = { MCP_TASKS_STATE_DIR: path.join(dir, 'state-results') };
    const run = await runCli(entry, ['--config', config, 'run', 'remote', 'slow-job', JSON.stringify({ steps: 20, stepMs: 200, label: 'shared' })], { env, timeoutMs: 40_000 });
    assertExit(run, 0, 'run');
    const id = run.stdout.trim();
    const results = await Promise.all(Array.from({ length: 6 }, () => runCli(entry, ['--config', config, 'result', 'remote', id], { env, timeoutMs: 30_000 })));
    results.forEach((result, i) => {
      assertExit(result, 0, `result ${i}`);
      assert.match(result.stdout, /done: shared after 20 steps/, `result ${i} printed the task's result`);
    });
  });
});
