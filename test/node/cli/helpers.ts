// Runs the CLI as a real process, the way a user or a script does, and collects what it printed.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..');
/** The esbuild bundle the package's "bin" points at (built by `node esbuild.js`). */
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');
export const EVERYTHING_MAIN = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

/** Bundles dist/cli.js imports at run time, from its own folder. */
const LAZY_BUNDLES = ['modern.js'];

/**
 * Copies the bundle and package.json into `dir` laid out as npm installs a package (dist/cli.js and
 * dist/modern.js beside package.json), and returns the copy's path. Tests run the copy: the shipped artefact, as one file that a
 * concurrent rebuild of dist/ cannot change under a test halfway through.
 */
export function installCli(dir: string): string {
  const bundle = fs.readFileSync(CLI_BUNDLE);
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(dir, 'package.json'));
  const entry = path.join(dir, 'dist', 'cli.js');
  fs.writeFileSync(entry, bundle);
  // The 2026-07-28 stack is a second bundle the CLI loads beside itself on first use (dist/modern.js).
  for (const lazy of LAZY_BUNDLES) fs.copyFileSync(path.join(REPO_ROOT, 'dist', lazy), path.join(dir, 'dist', lazy));
  return entry;
}

/** main.ts prints this when something held the process open after it closed everything (a leak). */
const LEAK_WARNING = 'kept the process alive';

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliRun>;
}

export function startCli(entry: string, args: readonly string[], opts: CliOptions = {}): RunningCli {
  const started = Date.now();
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    // stdin is not a terminal here: inputs cannot be asked and elicitations are declined, as in CI.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const done = new Promise<CliRun>((resolve, reject) => {
    // A hung CLI must fail the test with what it printed, not hang the suite.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-tasks ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const run = { code, signal, stdout, stderr, ms: Date.now() - started };
      try {
        // Every run, whatever the test: the process must end by itself once it has closed the registry.
        assert.ok(!stderr.includes(LEAK_WARNING), `mcp-tasks ${args.join(' ')} needed a forced exit:\n${stderr}`);
        resolve(run);
      } catch (e) {
        reject(e);
      }
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export function runCli(entry: string, args: readonly string[], opts: CliOptions = {}): Promise<CliRun> {
  return startCli(entry, args, opts).done;
}

/** Asserts the exit code, showing the run's output when it differs (the code alone explains nothing). */
export function assertExit(run: CliRun, code: number, what: string): void {
  // assert.fail, not assert.equal: mocha's diff view would hide the output lines of the message.
  if (run.code !== code) assert.fail(`${what}: expected exit ${code}, got ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`) and types each answer once its question is on the
 * screen, as a person would. Resolves with the exit code, the screen and the answers never asked for;
 * rejects (killing the run) if it has not exited after `timeoutMs`.
 */
export async function runOnTerminal(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
  answers: Array<[question: string, typed: string]>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; screen: string; unanswered: number }> {
  const quoted = [process.execPath, entry, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`);
  const child = spawn('script', ['-qec', quoted.join(' '), '/dev/null'], { env: { ...process.env, ...env } });
  const pending = [...answers];
  let screen = '';
  let from = 0;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    while (pending.length) {
      const at = screen.indexOf(pending[0]![0], from);
      if (at < 0) break;
      from = at + pending[0]![0].length;
      child.stdin.write(pending.shift()![1]);
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit; screen so far:\n${screen}`));
    }, timeoutMs);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, screen, unanswered: pending.length };
}
