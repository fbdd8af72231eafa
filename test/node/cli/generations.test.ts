// Every CLI verb against the demo task server of each protocol generation (2025-11-25 and 2026-07-28, the same
// cast of tools): a real process, a real mcp.json, the fixture over stdio and over Streamable HTTP. Where the
// generations differ on purpose (no taskSupport in 2026, no tasks/list so `list` shows the ids this client
// knows, a failed 2026 task carries an error instead of an isError result), each asserts its own.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATIONS, type HttpFixture } from '../../support/generations';
import { waitFor } from '../../support/waiting';
import { assertExit, installCli, runCli, runOnTerminal, startCli, tempDir, type CliOptions, type CliRun } from './helpers';

const ID = '[0-9a-f][0-9a-f-]{15,}';

for (const gen of GENERATIONS) {
  describe(`mcp-tasks CLI on a ${gen.name} server`, function () {
    this.timeout(30_000);

    let dir: string;
    let config: string;
    let stateDir: string;
    let http: HttpFixture;
    let entry: string;
    let cli: (args: readonly string[], opts?: CliOptions) => Promise<CliRun>;

    before(async function () {
      dir = tempDir('mcp-tasks-cli-gen-');
      stateDir = path.join(dir, 'state');
      entry = installCli(path.join(dir, 'installed'));
      http = await gen.startHttp(['--poll-interval', '200']);
      config = path.join(dir, 'mcp.json');
      fs.writeFileSync(
        config,
        JSON.stringify({
          servers: {
            demo: { type: 'stdio', command: process.execPath, args: [gen.main, '--poll-interval', '200'] },
            remote: { type: 'http', url: http.url },
          },
        }),
      );
      cli = (args, opts = {}) => runCli(entry, ['--config', config, ...args], { ...opts, env: { MCP_TASKS_STATE_DIR: stateDir, ...opts.env } });
    });

    after(async function () {
      await http?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('servers lists both without connecting', async function () {
      const run = await cli(['servers', '--json']);
      assertExit(run, 0, 'servers');
      const doc = JSON.parse(run.stdout) as { servers: Array<{ name: string; type: string }> };
      assert.deepEqual(doc.servers.map((s) => `${s.name}:${s.type}`), ['demo:stdio', 'remote:http']);
    });

    it("tools shows each tool's task support, as the generation declares it", async function () {
      const [human, json] = await Promise.all([cli(['tools', 'demo']), cli(['--json', 'tools', 'remote'])]);
      assertExit(human, 0, 'tools');
      assert.match(human.stdout, /^TOOL\s+TASK SUPPORT\s+DESCRIPTION$/m);
      assert.match(human.stdout, gen.declaresTaskSupport ? /^slow-job\s+required\s/m : /^slow-job\s+optional\s/m);
      assert.match(human.stdout, gen.declaresTaskSupport ? /^quick-echo\s+forbidden\s/m : /^quick-echo\s+optional\s/m);
      assertExit(json, 0, 'tools --json');
      const tools = JSON.parse(json.stdout) as Array<{ name: string; taskSupport: string }>;
      assert.equal(tools.length, 8, 'the same cast of tools');
      assert.equal(tools.find((t) => t.name === 'endless-job')?.taskSupport, gen.declaresTaskSupport ? 'required' : 'optional');
    });

    it('run --wait prints the result of a completed task (exit 0), status changes on stderr', async function () {
      const run = await cli(['run', 'demo', 'slow-job', '{"steps":2,"stepMs":150,"label":"from-the-cli"}', '--wait']);
      assertExit(run, 0, 'run --wait slow-job');
      assert.match(run.stdout, /done: from-the-cli after 2 steps/);
      assert.match(run.stderr, /step 1\/2/);
      assert.match(run.stderr, /completed/);
    });

    it('run --wait exits 1 when the task fails, and says why', async function () {
      const run = await cli(['run', 'demo', 'failing-job', '{"afterMs":100,"reason":"disk on fire"}', '--wait']);
      assertExit(run, 1, 'run --wait failing-job');
      assert.match(run.stderr, /failed {2}disk on fire/);
      if (gen.inlineResults) {
        // A failed 2026 task carries a JSON-RPC error, not a tool result: nothing to print as the result.
        assert.match(run.stderr, /has no result: it is already failed \(disk on fire\)/);
      } else {
        assert.match(run.stdout, /disk on fire/, 'the tool error is printed as the result');
      }
    });

    it('declines a request for input when there is no terminal to ask on (exit 1)', async function () {
      const run = await cli(['run', 'demo', 'needs-input', '{"question":"Which colour?"}', '--wait']);
      assertExit(run, 1, 'needs-input without a terminal');
      assert.match(run.stderr, /asks for input: "Which colour\?"\. Declined/);
      assert.match(run.stdout, /input declined/, "the server's answer to the decline is the result");
    });

    it('run --wait --json prints one JSON document with the final task and its outcome', async function () {
      const run = await cli(['run', 'remote', 'slow-job', '{"steps":1,"stepMs":50,"label":"j"}', '--wait', '--json']);
      assertExit(run, 0, 'run --wait --json');
      const doc = JSON.parse(run.stdout) as { task: { status: string; toolName: string }; outcome: { kind: string; result: { structuredContent: unknown } } };
      assert.equal(doc.task.status, 'completed');
      assert.equal(doc.task.toolName, 'slow-job');
      assert.deepEqual(doc.outcome.result.structuredContent, { steps: 1, label: 'j' });
    });

    it('run prints an id that get, list, cancel and result then work on, each its own process (HTTP)', async function () {
      const started = await cli(['run', 'remote', 'endless-job', '{"tickMs":100}']);
      assertExit(started, 0, 'run');
      const id = started.stdout.trim();
      assert.match(id, new RegExp(`^${ID}$`), 'stdout is just the task id');

      const [got, listed, listedJson] = await Promise.all([cli(['get', 'remote', id, '--json']), cli(['list', 'remote']), cli(['--json', 'list', 'remote'])]);
      assertExit(got, 0, 'get');
      assert.equal((JSON.parse(got.stdout) as { status: string }).status, 'working', 'an endless job is still working');
      assertExit(listed, 0, 'list');
      assert.match(listed.stdout, /^ID\s+STATUS\s+AGE\s+TOOL\s+MESSAGE$/m);
      assert.match(listed.stdout, new RegExp(`^${id}\\s+working\\s+\\d+[sm]\\s+endless-job\\s+tick \\d+`, 'm'));
      assertExit(listedJson, 0, 'list --json');
      const ids = (JSON.parse(listedJson.stdout) as Array<{ taskId: string }>).map((t) => t.taskId);
      if (!gen.lists) {
        // No tasks/list: what list shows is the ids this client remembered (its state file), nothing else.
        const files = fs.readdirSync(stateDir).filter((f) => f.endsWith('.json'));
        const state = files.map((f) => fs.readFileSync(path.join(stateDir, f), 'utf8')).join('\n');
        for (const known of ids) assert.ok(state.includes(known) || known.startsWith('immediate-'), `listed ${known} is a remembered id`);
      }
      assert.ok(ids.includes(id));

      const cancelled = await cli(['cancel', 'remote', id]);
      assertExit(cancelled, 0, 'cancel');
      assert.match(cancelled.stdout, new RegExp(`^${id}\\s+cancelled`));

      const [after, result] = await Promise.all([cli(['get', 'remote', id]), cli(['result', 'remote', id])]);
      assertExit(after, 0, 'get after cancel');
      assert.match(after.stdout, /^Status\s+cancelled$/m);
      assertExit(result, 1, 'result of a cancelled task');
      assert.match(result.stderr, /has no result: it is already cancelled/);
    });

    // 2026-07-28 servers acknowledge a cancel of a finished task; the CLI still says it had already ended,
    // as on 2025-11-25 (README: "already completed when cancelling").
    it('cancel of a task that already ended exits 1 and says so (HTTP)', async function () {
      const [cancelledRun, doneRun] = await Promise.all([cli(['run', 'remote', 'endless-job', '{"tickMs":100}']), cli(['run', 'remote', 'slow-job', '{"steps":1,"stepMs":10}', '--wait', '--json'])]);
      assertExit(cancelledRun, 0, 'run');
      assertExit(doneRun, 0, 'run --wait');
      const cancelledId = cancelledRun.stdout.trim();
      const doneId = (JSON.parse(doneRun.stdout) as { task: { taskId: string } }).task.taskId;
      assertExit(await cli(['cancel', 'remote', cancelledId]), 0, 'first cancel');
      const [again, finished] = await Promise.all([cli(['cancel', 'remote', cancelledId]), cli(['cancel', 'remote', doneId])]);
      assertExit(again, 1, 'cancel of a cancelled task');
      assert.match(again.stderr, /cannot be cancelled: it is already cancelled/);
      assertExit(finished, 1, 'cancel of a completed task');
      assert.match(finished.stderr, /cannot be cancelled: it is already completed/);
    });

    it('result waits for a running task and exits 0 once it completes; an unknown id exits 1 (HTTP)', async function () {
      const started = await cli(['run', 'remote', 'slow-job', '{"steps":3,"stepMs":300,"label":"later"}']);
      assertExit(started, 0, 'run');
      const [result, unknown] = await Promise.all([cli(['result', 'remote', started.stdout.trim()]), cli(['result', 'remote', 'not-a-task-id'])]);
      assertExit(result, 0, 'result');
      assert.match(result.stdout, /done: later after 3 steps/);
      assertExit(unknown, 1, 'result of an unknown id');
      assert.match(unknown.stderr, /not known to the server/);
    });

    it('get of an id nobody knows says "unknown task" (exit 4); a remembered id the server forgot is expired (stdio)', async function () {
      const state = path.join(dir, `state-remember`);
      const env = { MCP_TASKS_STATE_DIR: state };
      const started = await cli(['run', 'demo', 'endless-job'], { env });
      assertExit(started, 0, 'run without --wait');
      const id = started.stdout.trim();
      assert.match(started.stderr, /stdio server started for this command only/);
      const [listed, got, never] = await Promise.all([cli(['--json', 'list', 'demo'], { env }), cli(['get', 'demo', id], { env }), cli(['get', 'remote', 'not-a-task-id'], { env })]);
      assertExit(listed, 0, 'list');
      const task = (JSON.parse(listed.stdout) as Array<{ taskId: string; status: string; toolName?: string }>).find((t) => t.taskId === id);
      assert.equal(task?.status, 'expired', `a new stdio server no longer knows ${id}: ${listed.stdout}`);
      assert.equal(task?.toolName, 'endless-job');
      assertExit(got, 0, 'get of a remembered id');
      assert.match(got.stdout, /^Status\s+expired/m);
      assertExit(never, 4, 'get of an unknown id');
      assert.match(never.stderr, /unknown task not-a-task-id: remote does not know it/);
    });

    // On 2026-07-28 the task is started first and watched as a remembered id (the server cannot list new
    // ones). Such a server holds no connection between requests: the watch once ended right after its first
    // listing, as nothing kept the process waiting.
    it(`watch prints status changes as they happen and ends cleanly (exit 0) on Ctrl-C (HTTP; ${gen.lists ? 'a task started after the watch' : 'a known task'})`, async function () {
      let id = '';
      const start = async (): Promise<void> => {
        const started = await cli(['run', 'remote', 'slow-job', `{"steps":3,"stepMs":${gen.lists ? 400 : 1_000},"label":"watched"}`]);
        assertExit(started, 0, 'run');
        id = started.stdout.trim();
      };
      // Without tasks/list, watch follows the ids known when it starts (the state file): start the task first.
      if (!gen.lists) await start();
      const watch = startCli(entry, ['--config', config, 'watch', 'remote'], { env: { MCP_TASKS_STATE_DIR: stateDir } });
      await waitFor('watch to start', () => watch.stderr().includes('Watching for changes'));
      if (gen.lists) await start();
      await waitFor(() => `watch to show the completion of ${id}:\n${watch.stdout()}\n${watch.stderr()}`, () => new RegExp(`${id}\\s+completed`).test(watch.stdout()), 10_000);
      watch.child.kill('SIGINT');
      const run = await watch.done;
      assertExit(run, 0, 'watch after Ctrl-C');
      assert.match(run.stdout, new RegExp(`^\\d\\d:\\d\\d:\\d\\d {2}${id} {2}working {2}step \\d/3$`, 'm'), 'a working step was shown');
    });

    describe('on a terminal', function () {
      before(function () {
        const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
        if (probe.error || !/util-linux/.test(probe.stdout)) this.skip();
      });

      for (const server of ['demo', 'remote']) {
        it(`answers a task's request for input field by field (${server})`, async function () {
          const { code, screen, unanswered } = await runOnTerminal(entry, ['--config', config, 'run', server, 'needs-input', '{"question":"Which colour?"}', '--wait'], { MCP_TASKS_STATE_DIR: stateDir }, [
            ['Answer? [Y/n] ', 'y\r'],
            ['Which colour?', 'green\r'],
          ]);
          assert.equal(unanswered, 0, `every question was asked; screen:\n${screen}`);
          assert.equal(code, 0, `exit 0; screen:\n${screen}`);
          assert.match(screen, /answer: green/, 'the answer reached the server and came back in the result');
        });
      }
    });
  });
}
