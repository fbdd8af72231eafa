/** The CLI's help text and exit codes: one place, so `--help` and the code cannot drift apart. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLIENT_INFO } from '../core';

/** Exit codes scripts can branch on (also listed in the help text). */
export const EXIT = {
  ok: 0,
  /** The task failed, was cancelled or expired (`run --wait`, `result`), or was already over (`cancel`). */
  taskFailed: 1,
  usage: 2,
  /** The server could not be used: bad definition, cannot connect, protocol error, request failed. */
  server: 3,
  /** `get` of an id neither this client nor the server knows (a typo, or another config's task). */
  unknownTask: 4,
  /** Interrupted (Ctrl-C, SIGINT) while waiting for a task (128 + 2). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15). */
  terminated: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const USAGE = `Usage: mcp-tasks [--config FILE] [--json] [--verbose] COMMAND

See and control the background tasks (MCP 2025-11-25 tasks) of the MCP servers in an mcp.json file.

Commands:
  servers                          the configured servers (no connection is made)
  tools SERVER                     the server's tools and whether each can run as a task
  list SERVER                      every task the server shows us (plus the ids we started before)
  get SERVER ID                    one task's status
  result SERVER ID                 the task's result; waits while the task runs
  cancel SERVER ID                 cancel a running task
  run SERVER TOOL [JSON_ARGS]      start TOOL as a task and print its id
      --wait                       wait for it instead (status changes on stderr), then print the result
      --ttl MS                     ask the server to keep the task this long (default 600000)
  watch SERVER                     print status changes as they happen, until Ctrl-C

Options:
  --config FILE   the mcp.json to read (default: .vscode/mcp.json in the current folder);
                  \${workspaceFolder} is the folder holding .vscode/ when FILE is in one, else the
                  current folder
  --json          machine-readable output: one JSON document on stdout (watch: one JSON object per line)
  --verbose, -v   also show the server's log (its stderr) and protocol messages on stderr
  --help, -h      this text
  --version       the version

JSON_ARGS is a JSON object, e.g. '{"topic":"x"}' (default {}).
\${input:...} variables and server requests for input are asked on the terminal; without one, such a
server is not started and input requests are declined.
Tasks started here are remembered (in $MCP_TASKS_STATE_DIR, else $XDG_STATE_HOME/mcp-tasks, else
~/.local/state/mcp-tasks), so 'list' shows them later; a stdio server started anew no longer knows them
and shows them as expired.

Exit codes:
  0    success (get, list and watch report any status with 0)
  1    the task failed, was cancelled or expired (run --wait, result); cancel: the task had
       already ended
  2    usage error: bad arguments, unknown server or tool, a tool that cannot run as a task,
       missing --config file
  3    the server could not be used: invalid definition, input not given, cannot connect, protocol or
       request error; for servers: the file has errors (the valid servers are still listed)
  4    unknown task (get): neither mcp-tasks nor the server knows the id; a task we started that the
       server has forgotten is 'expired' instead (exit 0)
  130  interrupted (Ctrl-C) while waiting (run --wait, result); on an HTTP server the task goes on, on a
       stdio server it stops with the server
  143  stopped by SIGTERM (what the task does is as for 130)

A stdio server is started for each command and stopped when it ends, and its tasks end with it: use
'run --wait' there. Tasks of an HTTP server outlive the command (get, result, cancel them later).
`;

/** The package's version: read from package.json above this file (dist/cli.js and out/src/cli/ both work). */
export function version(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'mcp-tasks-vscode' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not here: keep walking up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return CLIENT_INFO.version;
}
