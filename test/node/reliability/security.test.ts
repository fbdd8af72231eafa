// Security: secrets (${input:...} answers, header and env values) never show up in anything the core
// produces; arguments reach the server as argv, never through a shell; server text is kept as text.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadServerConfigs, parseMcpConfigText } from '../../../src/core/config';
import { describeStatus, outcomePreview, outcomeToMarkdown } from '../../../src/core/format/taskText';
import type { TaskOutcome } from '../../../src/core/model/TaskModel';
import { faultServerCommand, startHttpFaultServer, type HttpFaultServer } from '../../fixtures/fault-server/spawn';
import {
  cleanupTempDirs,
  connected,
  failedState,
  guardUnhandledRejections,
  Harness,
  rit,
  sleep,
  stdioConfig,
  taskState,
  tempDir,
  waitFor,
} from './harness';

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

describe('reliability: security', function () {
  this.timeout(40_000);
  guardUnhandledRejections();
  let h: Harness;
  let http: HttpFaultServer[] = [];
  afterEach(async () => {
    await h?.dispose();
    await Promise.all(http.map((s) => s.stop()));
    http = [];
    cleanupTempDirs();
  });

  rit('secrets never appear in logs, states, errors, task data, documents or the console', async () => {
    const INPUT = secret('input');
    const HEADER = secret('header');
    const ENV = secret('env');
    const ok = await startHttpFaultServer([]);
    const leaky401 = await startHttpFaultServer(['--fault', 'http-status=401', '--fault', 'echo-auth']);
    const leaky500 = await startHttpFaultServer(['--fault', 'echo-auth', '--fault', 'no-notify']);
    http.push(ok, leaky401, leaky500);
    const { command, args } = faultServerCommand();
    const headers = { Authorization: 'Bearer ${input:token}', 'X-Api-Key': HEADER };
    const env = { MY_SECRET_KEY: ENV, API_TOKEN: '${input:token}' };
    const text = JSON.stringify({
      inputs: [{ id: 'token', type: 'promptString', password: true, description: 'token' }],
      servers: {
        'http-ok': { type: 'http', url: ok.url, headers },
        'http-401': { type: 'http', url: leaky401.url, headers },
        'http-500': { type: 'http', url: leaky500.url, headers },
        'stdio-leaky': { command, args: [...args, '--fault', 'leak-env'], env },
        'stdio-missing': { command: path.join(tempDir(), 'no-such-server'), env },
        // Prints its secrets, then exits: its last words (quoted in the failure reason) hold a secret.
        'stdio-exits': { command, args: [...args, '--fault', 'leak-env', '--fault', 'exit-at-start'], env },
        // An input answer passed as an argument, printed back by the process before it exits.
        'stdio-argv': {
          command: process.execPath,
          args: ['-e', "console.error('argv ' + process.argv.slice(1).join(' ')); process.exit(3)", '--', '--token=${input:token}'],
        },
      },
    });

    // Everything the run prints to the console is captured too (the Emitter reports listener errors there).
    const consoleOut: string[] = [];
    const saved = { log: console.log, error: console.error, warn: console.warn };
    const capture = (...a: unknown[]) => consoleOut.push(a.map(String).join(' '));
    console.log = console.error = console.warn = capture;
    const seen: string[] = [];
    try {
      const loaded = await loadServerConfigs([parseMcpConfigText(text, { source: 'mcp.json', fromWorkspace: false })], { resolveInput: async () => INPUT });
      seen.push(JSON.stringify(loaded.errors));
      h = new Harness({ settings: { requestTimeoutMs: 2_000 } });
      h.registry.setConfigs(loaded.servers);
      const srv = (id: string) => h.server(id);
      const record = (e: unknown) => seen.push(e instanceof Error ? `${e.message}\n${e.stack}` : String(e));

      await connected(srv('http-ok'));
      await connected(srv('stdio-leaky'));
      await connected(srv('http-500'));
      await failedState(srv('http-401'));
      await failedState(srv('stdio-missing'));
      const exited = await failedState(srv('stdio-exits'));
      // Its last words are quoted in the reason: redacted, but there (so the search below means something).
      assert.match(exited.reason, /last printed: .*config \w+=\*\*\*/, exited.reason);
      const argv = await failedState(srv('stdio-argv'));
      assert.match(argv.reason, /argv .*--token=\*\*\*/, argv.reason);
      await waitFor('the leaky server to print its environment', () => h.log.count('stdio-leaky', /config /) >= 1, 5_000);

      // Ordinary work, and the errors it meets.
      const outcomes: TaskOutcome[] = [];
      for (const id of ['http-ok', 'stdio-leaky']) {
        const s = srv(id);
        const t = await s.callToolAsTask('job', { ms: 50, text: 'hello' });
        outcomes.push(await s.getTaskResult(t.taskId));
        const e = await s.callToolAsTask('endless', {});
        await s.cancelTask(e.taskId);
        outcomes.push(await s.getTaskResult(e.taskId));
        await s.cancelTask(e.taskId).catch(record);
        await s.callToolAsTask('no-such-tool', {}).catch(record);
        await s.callToolAsTask('plain-echo', {}).catch(record);
      }
      for (const id of ['http-401', 'stdio-missing', 'stdio-exits']) {
        await srv(id).listTools().catch(record);
        await srv(id).callToolAsTask('job', {}).catch(record);
      }
      // A server that starts answering 500 with an error page that echoes the credentials.
      const s500 = srv('http-500');
      const t500 = await s500.callToolAsTask('job', { ms: 60_000 });
      await leaky500.control({ add: ['http-500-on=tasks/get', 'http-500-on=tasks/list', 'http-500-on=tasks/result'] });
      await s500.getTaskStatus(t500.taskId).catch(record);
      outcomes.push(await s500.getTaskResult(t500.taskId));
      await taskState(s500, t500.taskId, (t) => t.lastError !== undefined, 'an error recorded');
      // And the 401 server has also been retried by now.
      await sleep(300);

      for (const s of h.registry.servers()) {
        seen.push(JSON.stringify(s.state));
        for (const t of s.store.list()) {
          seen.push(JSON.stringify(t), describeStatus(t));
          const outcome = s.cachedOutcome(t.taskId);
          if (outcome) outcomes.push(outcome);
        }
      }
      for (const o of outcomes) seen.push(outcomeToMarkdown(o), outcomePreview(o));
      seen.push(JSON.stringify([...h.states.values()]));
      seen.push(h.log.text());
      await h.dispose();
      seen.push(h.log.text());
    } finally {
      Object.assign(console, saved);
    }
    seen.push(...consoleOut);
    const all = seen.join('\n');
    // The run did produce the failures whose texts could leak: make sure we searched something real.
    assert.match(all, /401/);
    assert.match(all, /ENOENT|not found|no such file/i);
    assert.match(all, /config MY_SECRET_KEY=/, 'the leaky server\'s environment dump reached the log');
    assert.match(all, /config API_TOKEN=/, 'the leaky server\'s environment dump reached the log');
    for (const [name, value] of Object.entries({ INPUT, HEADER, ENV })) {
      const at = all.indexOf(value);
      assert.equal(at, -1, `the ${name} secret leaked: …${all.slice(Math.max(0, at - 200), at + 60)}…`);
    }
  });

  rit('arguments reach the server verbatim as argv, never through a shell', async () => {
    const dir = tempDir();
    const marks = [1, 2, 3, 4, 5].map((n) => path.join(dir, `pwned-${n}`));
    const nasty = [
      `$(touch ${marks[0]}); echo`,
      `\`touch ${marks[1]}\``,
      `; touch ${marks[2]}`,
      `&& touch ${marks[3]} &&`,
      `| tee ${marks[4]}`,
      "'single quoted'",
      '"double quoted"',
      'a b  c',
      '*',
      '$HOME',
      '%PATH%',
      '\\n not a newline',
      'ünïcödé ✓',
      '',
    ];
    h = new Harness();
    const [srv] = h.start(stdioConfig('argv', nasty, { env: { SHELL_BAIT: `$(touch ${marks[0]})` } }));
    await connected(srv!);
    const task = await srv!.callToolAsTask('argv', {});
    const outcome = await srv!.getTaskResult(task.taskId);
    assert.equal(outcome.kind, 'result');
    const received = JSON.parse(outcome.kind === 'result' ? String(outcome.result.content?.[0]?.text) : '[]') as string[];
    assert.deepEqual(received, nasty);
    for (const mark of marks) assert.equal(existsSync(mark), false, `${mark} was created: a shell ran`);
  });

  rit('server-provided text is kept as text: no markup, link or command in it is interpreted', async () => {
    const fence = '```';
    const NASTY =
      `Click [here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%22%7D) ` +
      `<img src=x onerror=alert(1)> <script>alert(2)</script> $(whoami) \${env:HOME}\n` +
      `${fence}\n# Not a heading: the fence above tries to close the block\n${fence}${fence}\n` +
      `[link](https://example.com) **bold** \u001b[31mred\u001b[0m`;
    const MESSAGE = `status with ${fence}fences${fence}, <b>html</b> and [a](command:x)`;
    h = new Harness();
    const [srv] = h.start(stdioConfig('texty'));
    await connected(srv!);
    const task = await srv!.callToolAsTask('job', { ms: 400, text: NASTY, message: MESSAGE });
    const working = await taskState(srv!, task.taskId, (t) => t.statusMessage === MESSAGE || t.status === 'completed', 'the status message');
    if (working.status !== 'completed') assert.equal(working.statusMessage, MESSAGE, 'the status message is held verbatim');
    const outcome = await srv!.getTaskResult(task.taskId);
    assert.equal(outcome.kind === 'result' && outcome.result.content?.[0]?.text, NASTY, 'the result is held verbatim');
    const md = outcomeToMarkdown(outcome);
    // The text sits inside one code fence longer than any backtick run in it, so it cannot break out.
    const longestRun = Math.max(...[...NASTY.matchAll(/`+/g)].map((m) => m[0].length));
    const open = new RegExp(`(\`{${longestRun + 1},})text\\n`).exec(md);
    assert.ok(open, `no fence longer than ${longestRun} backticks:\n${md.slice(0, 400)}`);
    assert.ok(md.includes(`${open[1]}text\n${NASTY}\n${open[1]}\n`), 'the text is not exactly the content of one fence');
    // Outside fences, none of the server's text appears.
    const outside = md.split(new RegExp(`${open[1]}[a-z]*\\n[\\s\\S]*?\\n${open[1]}(?!\`)`)).join('');
    for (const bit of ['command:', 'onerror', '<script>', 'Not a heading']) assert.ok(!outside.includes(bit), `"${bit}" outside a code block`);
    // The one-line preview stays one line.
    assert.doesNotMatch(outcomePreview(outcome), /\n/);
  });
});
