/**
 * A stdio server process: argv passed as is (never through a shell), environment = the SDK's safe default
 * set overlaid with the configured `env` (the config layer has already folded `envFile` into it); stderr
 * piped to the log one line at a time.
 *
 * Stopping it ends its whole process tree (see processTree.ts). On Linux/macOS that needs the server in a
 * process group of its own, which the SDK's StdioClientTransport cannot spawn: there this module spawns
 * the process itself and keeps the SDK's framing (`serializeMessage`, `deserializeMessage` through the
 * LinearReadBuffer). On Windows the SDK's transport still spawns (cross-spawn resolves `npx` to `npx.cmd`
 * without a shell) and `taskkill /T /F` ends the tree.
 */
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import type { StdioServerConfig } from '../config/ServerConfig';
import { LinearReadBuffer, useLinearReadBuffer } from './LinearReadBuffer';
import { IS_WINDOWS, killWindowsTree, stopProcessTree, trackProcessTree } from './processTree';

/** Large task results (tens of MB) arrive as one JSON-RPC line; the SDK's default buffer is 10 MB. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
/** Longer stderr lines are cut here, before any further processing (a server may print megabytes). */
const MAX_STDERR_LINE = 4_000;

/** A transport to a server process: its pid once started, its stderr as soon as it exists. */
export interface StdioTransport extends Transport {
  readonly pid: number | null;
  readonly stderr: Readable | null;
}

export function createStdioTransport(config: StdioServerConfig, onStderrLine: (line: string) => void): StdioTransport {
  const params = {
    command: config.command,
    args: [...config.args],
    env: { ...getDefaultEnvironment(), ...config.env },
    ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
  };
  const transport = IS_WINDOWS ? new WindowsStdioTransport({ ...params, stderr: 'pipe', maxBufferSize: MAX_MESSAGE_BYTES }) : new ProcessGroupStdioTransport(params);
  if (transport instanceof StdioClientTransport) {
    useLinearReadBuffer(transport, MAX_MESSAGE_BYTES);
  }
  // The stream exists before start(), so nothing the process prints while starting is lost.
  const stderr = transport.stderr as Readable | null;
  if (stderr) {
    const lines = readline.createInterface({ input: stderr, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() !== '') {
        onStderrLine(line.length > MAX_STDERR_LINE ? `${line.slice(0, MAX_STDERR_LINE)}… (${line.length - MAX_STDERR_LINE} more characters)` : line);
      }
    });
    lines.on('error', () => lines.close());
  }
  return transport as StdioTransport;
}

interface SpawnParams {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly cwd?: string;
}

/**
 * Linux/macOS: the server leads a process group of its own (`detached`, which also means a session of its
 * own: no controlling terminal, so a Ctrl-C meant for the CLI does not reach it; the CLI stops it itself).
 * Behaves as the SDK's StdioClientTransport otherwise: 'close' of the process is the transport's close.
 */
class ProcessGroupStdioTransport implements StdioTransport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private process?: ChildProcess;
  private readonly readBuffer = new LinearReadBuffer(MAX_MESSAGE_BYTES);
  private readonly stderrStream = new PassThrough();
  /** close() was called: the tree is being (or has been) stopped. */
  private stopping = false;
  private closeFired = false;
  private pidValue: number | null = null;

  constructor(private readonly params: SpawnParams) {}

  get pid(): number | null {
    return this.pidValue;
  }

  get stderr(): Readable {
    return this.stderrStream;
  }

  start(): Promise<void> {
    if (this.process) {
      throw new Error('stdio transport already started');
    }
    return new Promise((resolve, reject) => {
      const child = spawn(this.params.command, this.params.args, {
        env: this.params.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        detached: true,
        ...(this.params.cwd !== undefined ? { cwd: this.params.cwd } : {}),
      });
      this.process = child;
      child.on('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.on('spawn', () => {
        this.pidValue = child.pid ?? null;
        if (child.pid !== undefined) trackProcessTree(child.pid);
        resolve();
      });
      child.on('close', () => {
        // The server ended by itself: anything it left running in its group (a descendant that let go of
        // our pipes) is stopped too, and the group is forgotten.
        if (!this.stopping) {
          this.stopping = true;
          void stopProcessTree(child);
        }
        this.fireClose();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          this.readBuffer.append(chunk);
          this.processReadBuffer();
        } catch (error) {
          this.onerror?.(error as Error);
          this.close().catch(() => undefined);
        }
      });
      child.stdout?.on('error', (error) => this.onerror?.(error));
      child.stderr?.pipe(this.stderrStream);
    });
  }

  private processReadBuffer(): void {
    for (;;) {
      try {
        const message = this.readBuffer.readMessage();
        if (message === null) break;
        this.onmessage?.(message);
      } catch (error) {
        this.onerror?.(error as Error);
      }
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.process?.stdin;
      if (!stdin || this.stopping || this.closeFired || stdin.destroyed) {
        reject(new Error('Not connected'));
        return;
      }
      if (stdin.write(serializeMessage(message))) {
        resolve();
      } else {
        stdin.once('drain', resolve);
      }
    });
  }

  async close(): Promise<void> {
    const child = this.process;
    // Also after the server's own exit: a descendant may still run (and hold the group) without our pipes.
    if (child && !this.stopping) {
      this.stopping = true;
      await stopProcessTree(child);
      this.stderrStream.end();
    }
    this.readBuffer.clear();
    this.fireClose();
  }

  private fireClose(): void {
    if (this.closeFired) return;
    this.closeFired = true;
    this.onclose?.();
  }
}

/** Windows: the SDK spawns (cross-spawn); closing kills the tree first, then lets the SDK clean up. */
class WindowsStdioTransport extends StdioClientTransport {
  override async start(): Promise<void> {
    await super.start();
    if (this.pid !== null) trackProcessTree(this.pid);
  }

  override async close(): Promise<void> {
    const pid = this.pid;
    if (pid !== null) {
      await killWindowsTree(pid);
    }
    await super.close();
  }
}
