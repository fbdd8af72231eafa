// The `mcp-tasks` CLI as users and scripts meet it: a real process, a real mcp.json, real servers (the demo
// task server over stdio and over HTTP, and the published server-everything). Exit codes are part of the
// contract (scripts branch on them), so every test pins one. The verbs on a task server of either protocol
// generation (run --wait failing / --json / input declined, result waiting, watch, ...) run for both in
// generations.test.ts.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as httpModule from 'node:http';
import * as path from 'node:path';
import { waitFor } from '../../support/waiting';
import { DEMO_SERVER_MAIN, startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { assertExit, CLI_BUNDLE, REPO_ROOT, EVERYTHING_MAIN, installCli, runCli, runOnTerminal, startCli, tempDir, type CliOptions, type CliRun } from './helpers';

describe('mcp-tasks CLI', function () {
  this.timeout(30_000);

  let dir: string;
  let config: string;
  let stateDir: string;
  let http: HttpDemoServer;
  /** The installed copy of dist/cli.js every test runs. */
  let entry: string;
  /** mcp-tasks ARGS, with the suite's state directory (known task ids) unless a test gives its own. */
  let bare: (args: readonly string[], opts?: CliOptions) => Promise<CliRun>;
  /** mcp-tasks --config <the suite's mcp.json> ARGS. */
  let cli: (args: readonly string[], opts?: CliOptions) => Promise<CliRun>;

  before(async function () {
    dir = tempDir('mcp-tasks-cli-');
    stateDir = path.join(dir, 'state');
    entry = installCli(path.join(dir, 'installed'));
    http = await startHttpDemoServer();
    config = path.join(dir, 'mcp.json');
    fs.writeFileSync(
      config,
      JSON.stringify(
        {
          inputs: [{ id: 'token', type: 'promptString', description: 'API token', password: true }],
          servers: {
            demo: { type: 'stdio', command: process.execPath, args: [DEMO_SERVER_MAIN] },
            remote: { type: 'http', url: http.url },
            everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING_MAIN, 'stdio'] },
            broken: { type: 'http' },
            secret: { type: 'http', url: http.url, headers: { Authorization: 'Bearer ${input:token}' } },
            missing: { type: 'stdio', command: path.join(dir, 'no-such-program') },
          },
        },
        null,
        2,
      ),
    );
    bare = (args, opts = {}) => runCli(entry, args, { ...opts, env: { MCP_TASKS_STATE_DIR: stateDir, ...opts.env } });
    cli = (args, opts = {}) => bare(['--config', config, ...args], opts);
  });

  after(async function () {
    await http?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('arguments', function () {
    it('documents the commands and every exit code in --help, and prints the package version', async function () {
      const [help, short, version] = await Promise.all([bare(['--help']), bare(['-h']), bare(['--version'])]);
      assertExit(help, 0, '--help');
      assert.equal(short.stdout, help.stdout, '-h is --help');
      for (const command of ['servers', 'tools SERVER', 'list SERVER', 'get SERVER ID', 'result SERVER ID', 'cancel SERVER ID', 'run SERVER TOOL [JSON_ARGS]', 'watch SERVER', '--wait', '--ttl MS', '--json', '--config FILE']) {
        assert.ok(help.stdout.includes(command), `--help mentions ${command}`);
      }
      for (const code of ['0 ', '1 ', '2 ', '3 ', '4 ', '130', '143']) assert.match(help.stdout, new RegExp(`^  ${code}`, 'm'), `--help explains exit code ${code}`);
      assertExit(version, 0, '--version');
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.equal(version.stdout.trim(), pkg.version);
    });

    it('rejects malformed commands with exit 2, a message on stderr and nothing on stdout', async function () {
      const cases: Array<[string[], RegExp]> = [
        [[], /no command/],
        [['frobnicate'], /unknown command 'frobnicate'/],
        [['get', 'demo'], /get needs ID/],
        [['tools', 'demo', 'extra'], /extra: extra/],
        [['run', 'demo', 'slow-job', '{bad'], /not valid JSON/],
        [['run', 'demo', 'slow-job', '[1,2]'], /must be a JSON object/],
        [['run', 'demo', 'slow-job', '--ttl', 'soon'], /--ttl needs a whole number/],
        [['list', 'demo', '--wait'], /--wait only applies to run/],
        [['--frobnicate', 'servers'], /unknown option --frobnicate/],
        [['--config'], /--config needs a value/],
      ];
      // No server is contacted for any of these, so they may all run at once.
      const runs = await Promise.all(cases.map(([args]) => cli(args)));
      runs.forEach((run, i) => {
        const [args, message] = cases[i]!;
        assertExit(run, 2, args.join(' '));
        assert.match(run.stderr, message, args.join(' '));
        assert.equal(run.stdout, '', `${args.join(' ')} prints nothing on stdout`);
      });
    });

    it('says which servers exist when asked for an unknown one (exit 2), and refuses a missing --config (exit 2)', async function () {
      const [unknown, noFile] = await Promise.all([cli(['tools', 'nosuch']), bare(['--config', path.join(dir, 'absent.json'), 'servers'])]);
      assertExit(unknown, 2, 'unknown server');
      assert.match(unknown.stderr, /no server named 'nosuch' in .*mcp\.json; configured: demo, remote, everything, broken, secret, missing/);
      assertExit(noFile, 2, 'missing --config file');
      assert.match(noFile.stderr, /absent\.json does not exist/);
    });
  });

  describe('configuration', function () {
    it('lists the configured servers without connecting, in columns and as JSON', async function () {
      const [human, json] = await Promise.all([cli(['servers']), cli(['servers', '--json'])]);
      // The file has a broken definition: the valid servers are listed, and the exit code says it is not clean.
      assertExit(human, 3, 'servers');
      // 'missing' names a program that does not exist: listing it proves no server is started here.
      assert.match(human.stdout, /^SERVER\s+TYPE\s+TARGET$/m);
      assert.match(human.stdout, /^demo\s+stdio\s+\S*node/m);
      assert.match(human.stdout, /^remote\s+http\s+http:\/\/127\.0\.0\.1:\d+\/mcp$/m);
      assert.match(human.stdout, /^missing\s+stdio/m);
      assert.match(human.stdout, /^broken\s+-\s+\(invalid/m);
      assert.match(human.stderr, /mcp\.json:\d+:\d+: server 'broken': "url" is missing/, 'the problem names file, line and server');
      assertExit(json, 3, 'servers --json');
      const doc = JSON.parse(json.stdout) as { servers: Array<{ name: string; type: string }>; invalid: string[] };
      assert.deepEqual(doc.servers.map((s) => `${s.name}:${s.type}`), ['demo:stdio', 'remote:http', 'everything:stdio', 'secret:http', 'missing:stdio']);
      assert.deepEqual(doc.invalid, ['broken']);
      // Header values may be secrets: the JSON names the headers, never their values.
      assert.ok(!json.stdout.includes('Bearer'), 'no header value in the output');
    });

    it('a file cut inside a server: lists the servers before it, says what is wrong once, exits 3', async function () {
      const dir = tempDir('mcp-tasks-cut-');
      try {
        const file = path.join(dir, 'mcp.json');
        fs.writeFileSync(file, '{\n  "servers": {\n    "ok": { "command": "node", "args": ["ok.js"] },\n    "cut": { "command": "node", "args": ["cut.js"');
        const run = await bare(['--config', file, 'servers']);
        assertExit(run, 3, 'servers on a cut file');
        assert.match(run.stdout, /^ok\s+stdio\s+node ok\.js$/m);
        assert.match(run.stdout, /^cut\s+-\s+\(invalid/m);
        const problems = run.stderr.split('\n').filter((l) => l.includes("server 'cut'"));
        assert.equal(problems.length, 1, `one message for the cut, not one per missing bracket:\n${run.stderr}`);
        assert.match(problems[0]!, /mcp\.json:4:\d+: server 'cut': syntax error/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fails a server it cannot use with exit 3 and a reason naming it: bad definition, unanswerable input, no such program', async function () {
      const [broken, secret, missing] = await Promise.all([cli(['tools', 'broken']), cli(['tools', 'secret']), cli(['tools', 'missing'])]);
      assertExit(broken, 3, 'invalid definition');
      assert.match(broken.stderr, /mcp\.json:\d+:\d+: server 'broken': "url" is missing/);
      // No terminal in a test: the ${input:token} cannot be asked, and the message says exactly that.
      assertExit(secret, 3, 'input without a terminal');
      assert.match(secret.stderr, /server 'secret': input 'token' could not be answered: there is no terminal/);
      assertExit(missing, 3, 'program not found');
      assert.match(missing.stderr, /missing: cannot connect: .*ENOENT/);
    });

    it('reads .vscode/mcp.json from the current folder by default, with ${workspaceFolder} = that folder', async function () {
      const ws = tempDir('mcp-tasks-ws-');
      try {
        fs.mkdirSync(path.join(ws, '.vscode'));
        // The server path only resolves if ${workspaceFolder} is the current folder.
        fs.writeFileSync(path.join(ws, 'server.js'), `require(${JSON.stringify(DEMO_SERVER_MAIN)});\n`);
        fs.writeFileSync(path.join(ws, '.vscode', 'mcp.json'), '{ // JSONC, as VS Code writes it\n "servers": { "local": { "command": "node", "args": ["${workspaceFolder}/server.js"] } } }\n');
        const run = await bare(['tools', 'local'], { cwd: ws });
        assertExit(run, 0, 'tools from the default config');
        assert.match(run.stdout, /^slow-job\s+required/m);
      } finally {
        fs.rmSync(ws, { recursive: true, force: true });
      }
    });
  });

  describe('tasks on a stdio server', function () {
    it("shows each tool's task support", async function () {
      const [human, json] = await Promise.all([cli(['tools', 'demo']), cli(['--json', 'tools', 'demo'])]);
      assertExit(human, 0, 'tools');
      assert.match(human.stdout, /^TOOL\s+TASK SUPPORT\s+DESCRIPTION$/m);
      assert.match(human.stdout, /^slow-job\s+required\s/m);
      assert.match(human.stdout, /^maybe-task\s+optional\s/m);
      assert.match(human.stdout, /^quick-echo\s+forbidden\s/m);
      assertExit(json, 0, 'tools --json');
      const tools = JSON.parse(json.stdout) as Array<{ name: string; taskSupport: string }>;
      assert.equal(tools.find((t) => t.name === 'endless-job')?.taskSupport, 'required');
      assert.equal(tools.find((t) => t.name === 'quick-echo')?.taskSupport, 'forbidden');
    });

    it('run --wait prints the result of a completed task and exits 0, with status changes on stderr', async function () {
      const run = await cli(['run', 'demo', 'slow-job', '{"steps":2,"stepMs":150,"label":"from-the-cli"}', '--wait']);
      assertExit(run, 0, 'run --wait slow-job');
      assert.match(run.stdout, /done: from-the-cli after 2 steps/);
      // The result's text, plainly: no Markdown headings or fences, no raw JSON copy (that is --json).
      assert.doesNotMatch(run.stdout, /^#|```|"structuredContent"|"content"/m, `plain text: ${run.stdout}`);
      assert.equal(run.stdout.match(/done: from-the-cli/g)?.length, 1, 'the text once');
      assert.match(run.stderr, /^\d\d:\d\d:\d\d {2}[0-9a-f]+ {2}completed/m, 'the final status is shown on stderr');
      assert.ok(!run.stdout.includes('completed  '), 'status lines stay off stdout');
    });

    it('clips a huge result on stdout with a hint naming --output, which writes the whole result to a file', async function () {
      const out = path.join(dir, 'large.txt');
      const [clipped, saved] = await Promise.all([
        cli(['run', 'demo', 'large-result', '{"sizeMb":2}', '--wait']),
        cli(['run', 'demo', 'large-result', '{"sizeMb":2}', '--wait', '--output', out]),
      ]);
      assertExit(clipped, 0, 'run --wait large-result');
      assert.ok(clipped.stdout.length < 1.5 * 1024 * 1024, `stdout is clipped (${clipped.stdout.length} chars)`);
      assert.match(clipped.stdout, /^0000001 /, 'the text starts plainly');
      assert.match(clipped.stderr, /MB more text not shown.*--output FILE/);
      assert.doesNotMatch(clipped.stderr, /MCP Tasks:/, 'no VS Code command in a terminal');
      assertExit(saved, 0, 'run --wait --output');
      assert.equal(saved.stdout, '', 'the result went to the file, not stdout');
      assert.equal(fs.statSync(out).size, 2 * 1024 * 1024, 'the whole result is in the file');
      assert.match(saved.stderr, /Wrote the result .* to .*large\.txt/);
    });

    it('Ctrl-C during run --wait on a stdio server says the server and its task stop (exit 130)', async function () {
      const running = startCli(entry, ['--config', config, 'run', 'demo', 'endless-job', '{"tickMs":100}', '--wait'], { env: { MCP_TASKS_STATE_DIR: stateDir } });
      await waitFor('the task to start', () => /working/.test(running.stderr()));
      assert.doesNotMatch(running.stderr(), /goes on|stops waiting/, `no promise that the task outlives us: ${running.stderr()}`);
      running.child.kill('SIGINT');
      const run = await running.done;
      assertExit(run, 130, 'run --wait after Ctrl-C');
      assert.match(run.stderr, /stdio server started for this command: it stops now, and task [0-9a-f]+ with it/);
      assert.doesNotMatch(run.stderr, /goes on/);
    });

    it('refuses a tool that cannot run as a task, or does not exist, with exit 2', async function () {
      const [forbidden, unknown] = await Promise.all([cli(['run', 'demo', 'quick-echo', '{"text":"x"}']), cli(['run', 'demo', 'no-such-tool'])]);
      assertExit(forbidden, 2, 'forbidden tool');
      assert.match(forbidden.stderr, /'quick-echo' cannot run as a task \(taskSupport: forbidden\)/);
      assertExit(unknown, 2, 'unknown tool');
      assert.match(unknown.stderr, /has no tool 'no-such-tool' \(tools that run as tasks: slow-job,/);
    });

    it('remembers started task ids between runs: a new stdio server no longer knows them, so list shows them expired', async function () {
      const state = path.join(dir, 'state-remember');
      const env = { MCP_TASKS_STATE_DIR: state };
      const started = await cli(['run', 'demo', 'endless-job'], { env });
      assertExit(started, 0, 'run without --wait');
      const id = started.stdout.trim();
      assert.match(id, /^[0-9a-f]{16,}$/, 'stdout is just the task id');
      assert.match(started.stderr, /stdio server started for this command only/, 'the user is told the task ends with the command');
      // The id is on disk, in a state file named after the config.
      const files = fs.readdirSync(state).filter((f) => f.endsWith('.json'));
      assert.equal(files.length, 1, `one state file: ${files.join(', ')}`);
      assert.ok(fs.readFileSync(path.join(state, files[0]!), 'utf8').includes(id), 'the state file holds the id');

      const listed = await cli(['--json', 'list', 'demo'], { env });
      assertExit(listed, 0, 'list');
      const tasks = JSON.parse(listed.stdout) as Array<{ taskId: string; status: string; toolName?: string }>;
      const task = tasks.find((t) => t.taskId === id);
      assert.ok(task, `list shows the remembered id ${id}: ${listed.stdout}`);
      assert.equal(task.status, 'expired');
      assert.equal(task.toolName, 'endless-job', 'what we knew about it is kept');

      // An id we knew is expired (exit 0, as get reports any status); one never seen is unknown (exit 4).
      const [got, never] = await Promise.all([cli(['get', 'demo', id], { env }), cli(['get', 'demo', 'feedfacefeedface'], { env })]);
      assertExit(got, 0, 'get of a remembered id');
      assert.match(got.stdout, /^Status\s+expired/m);
      assertExit(never, 4, 'get of an id never seen');
      assert.match(never.stderr, /unknown task feedfacefeedface: .*never started or seen/);
      assert.equal(never.stdout, '');
    });
  });

  describe('tasks on an HTTP server (they outlive each command)', function () {
    it('run prints an id that get, list, cancel and result then work on, each its own process', async function () {
      const started = await cli(['run', 'remote', 'endless-job', '{"tickMs":100}', '--ttl', '120000']);
      assertExit(started, 0, 'run');
      const id = started.stdout.trim();
      assert.match(id, /^[0-9a-f]{16,}$/);

      const [got, listed] = await Promise.all([cli(['get', 'remote', id, '--json']), cli(['list', 'remote'])]);
      assertExit(got, 0, 'get');
      const task = JSON.parse(got.stdout) as { status: string; ttl: number };
      assert.equal(task.status, 'working', 'an endless job is still working');
      assert.equal(task.ttl, 120_000, '--ttl reached the server');
      assertExit(listed, 0, 'list');
      assert.match(listed.stdout, /^ID\s+STATUS\s+AGE\s+TOOL\s+MESSAGE$/m);
      assert.match(listed.stdout, new RegExp(`^${id}\\s+working\\s+\\d+[sm]\\s+endless-job\\s+tick \\d+`, 'm'));

      const cancelled = await cli(['cancel', 'remote', id]);
      assertExit(cancelled, 0, 'cancel');
      assert.match(cancelled.stdout, new RegExp(`^${id}\\s+cancelled`));

      const [after, result, again] = await Promise.all([cli(['get', 'remote', id]), cli(['result', 'remote', id]), cli(['cancel', 'remote', id])]);
      assertExit(after, 0, 'get after cancel');
      assert.match(after.stdout, /^Status\s+cancelled$/m);
      // A cancelled task has no result: exit 1, not a server error.
      assertExit(result, 1, 'result of a cancelled task');
      assert.match(result.stderr, /has no result: it is already cancelled/);
      assertExit(again, 1, 'cancel of a cancelled task');
      assert.match(again.stderr, /cannot be cancelled: it is already cancelled/);
    });

    it('get of an id neither this client nor the server knows says "unknown task" with exit 4, not "expired"', async function () {
      const [human, json] = await Promise.all([cli(['get', 'remote', 'not-a-task-id']), cli(['--json', 'get', 'remote', 'not-a-task-id'])]);
      assertExit(human, 4, 'get of an unknown id');
      assert.match(human.stderr, /^mcp-tasks: unknown task not-a-task-id: remote does not know it/m);
      assert.doesNotMatch(human.stdout + human.stderr, /expired/);
      assertExit(json, 4, 'get --json of an unknown id');
      assert.deepEqual(JSON.parse(json.stdout), { taskId: 'not-a-task-id', status: 'unknown' });
    });

    it('SIGTERM during run --wait exits 143 and says the task goes on on the HTTP server', async function () {
      const running = startCli(entry, ['--config', config, 'run', 'remote', 'endless-job', '{"tickMs":100}', '--wait'], { env: { MCP_TASKS_STATE_DIR: stateDir } });
      await waitFor('the task to start', () => /working/.test(running.stderr()));
      running.child.kill('SIGTERM');
      const run = await running.done;
      assertExit(run, 143, 'run --wait after SIGTERM');
      const id = /task ([0-9a-f]+)/.exec(run.stderr)?.[1];
      assert.ok(id, run.stderr);
      assert.match(run.stderr, new RegExp(`The task goes on: mcp-tasks result remote ${id}`));
      const cancelled = await cli(['cancel', 'remote', id]);
      assertExit(cancelled, 0, 'the task was still running');
    });

    it('result --output FILE writes the whole result of an HTTP task', async function () {
      const started = await cli(['run', 'remote', 'large-result', '{"sizeMb":1.5}']);
      assertExit(started, 0, 'run');
      const out = path.join(dir, 'remote-result.txt');
      const run = await cli(['result', 'remote', started.stdout.trim(), '--output', out]);
      assertExit(run, 0, 'result --output');
      assert.equal(run.stdout, '');
      assert.equal(fs.statSync(out).size, Math.round(1.5 * 1024 * 1024));
    });

    for (const status of [401, 500]) {
      it(`an HTTP ${status} with an HTML page is reported once, with a short excerpt (exit 3)`, async function () {
        const page = `<!DOCTYPE html><html><head><title>Gateway says no</title></head><body><h1>Error ${status}</h1><p>${'padding '.repeat(300)}</p><p>END-OF-PAGE</p></body></html>`;
        const server = httpModule.createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(page));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const port = (server.address() as { port: number }).port;
          const file = path.join(dir, `http-${status}.json`);
          fs.writeFileSync(file, JSON.stringify({ servers: { gate: { type: 'http', url: `http://127.0.0.1:${port}/mcp` } } }));
          const run = await bare(['--config', file, 'list', 'gate']);
          assertExit(run, 3, `HTTP ${status}`);
          assert.equal(run.stderr.match(/Gateway says no/g)?.length, 1, `the page is quoted once:\n${run.stderr}`);
          assert.match(run.stderr, new RegExp(`HTTP ${status}`));
          assert.doesNotMatch(run.stderr, /END-OF-PAGE|<html|<p>/, 'an excerpt, not the page');
          assert.ok(run.stderr.length < 500, `short (${run.stderr.length} chars):\n${run.stderr}`);
        } finally {
          server.close();
        }
      });
    }

    it('an unreachable server exits 3 with the reason', async function () {
      const deadConfig = path.join(dir, 'dead.json');
      // Port 9 (discard) on localhost: nothing listens there in a test environment.
      fs.writeFileSync(deadConfig, JSON.stringify({ servers: { dead: { type: 'http', url: 'http://127.0.0.1:9/mcp' } } }));
      const run = await bare(['--config', deadConfig, 'list', 'dead']);
      assertExit(run, 3, 'unreachable server');
      assert.match(run.stderr, /^mcp-tasks: dead: cannot connect/m);
    });
  });

  describe('on a terminal', function () {
    // util-linux `script` gives the CLI a pseudo-terminal, as a person's shell would.
    before(function () {
      const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
      if (probe.error || !/util-linux/.test(probe.stdout)) this.skip();
    });

    it('asks for an ${input:...} without echoing it, then answers the elicitation of a task field by field', async function () {
      const answers: Array<[string, string]> = [
        ['API token: ', 'sekret-value\r'],
        // "2" is neither yes nor no: asked again rather than taken as yes.
        ['Answer? [Y/n] ', '2\r'],
        ['Please answer y (yes) or n (no).', ''],
        ['Answer? [Y/n] ', 'y\r'],
        ['Which colour?', 'blue\r'],
      ];
      const { code, screen, unanswered } = await runOnTerminal(entry, ['--config', config, 'run', 'secret', 'needs-input', '{"question":"Which colour?"}', '--wait'], { MCP_TASKS_STATE_DIR: stateDir }, answers);
      assert.equal(unanswered, 0, `every question was asked; screen:\n${screen}`);
      assert.equal(code, 0, `exit 0; screen:\n${screen}`);
      assert.match(screen, /answer: blue/, 'the answer reached the server and came back in the result');
      assert.ok(!screen.includes('sekret-value'), 'the secret input was not echoed');
    });
  });

  describe('the published bundle', function () {
    it('`mcp-tasks run everything simulate-research-query {"topic":"x"} --wait` prints the research report (dist/cli.js)', async function () {
      // The acceptance line, against a real server nobody here wrote. Four 1 s stages, then
      // server-everything takes ~2 s to stop after its stdin closes (the SDK waits for it).
      assert.ok(fs.existsSync(CLI_BUNDLE), 'dist/cli.js exists: run `node esbuild.js` first');
      assert.ok(fs.readFileSync(CLI_BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n'), 'the bundle starts with a shebang (npx runs it directly)');
      const run = await runCli(CLI_BUNDLE, ['--config', config, 'run', 'everything', 'simulate-research-query', '{"topic":"x"}', '--wait'], {
        env: { MCP_TASKS_STATE_DIR: stateDir },
      });
      assertExit(run, 0, 'acceptance line');
      assert.match(run.stdout, /# Research Report: x/);
      assert.match(run.stderr, /completed/);
    });
  });
});
