/**
 * A bare 2026-07-28 client for the 2026 fixture over stdio: newline-delimited JSON-RPC with the per-request
 * `_meta` framing (protocol version, client info, capabilities with the tasks extension), task listens and
 * the pushes they bring. For pinning the fixture's wire contract without the core in between.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

export interface WireTask {
  taskId: string;
  status: string;
  statusMessage?: string;
  ttlMs?: number | null;
  pollIntervalMs?: number;
  inputRequests?: Record<string, Record<string, unknown>>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
  resultType?: string;
  [key: string]: unknown;
}

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export class RawClient2026 {
  /** Every notifications/tasks received, in order. */
  readonly pushes: WireTask[] = [];
  readonly process: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<void>;

  constructor(command: { command: string; args: string[] }, private readonly capabilities: Record<string, unknown> = { elicitation: { form: {} } }) {
    this.process = spawn(command.command, command.args, { stdio: ['pipe', 'pipe', 'ignore'] });
    this.exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
    createInterface({ input: this.process.stdout! }).on('line', (line) => this.receive(line));
    this.process.once('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('the server exited'));
      this.pending.clear();
    });
  }

  request(method: string, params: Record<string, unknown> = {}, declareTasks = true): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw-2026-test', version: '0.0.0' },
      'io.modelcontextprotocol/clientCapabilities': { ...this.capabilities, ...(declareTasks ? { extensions: { [TASKS_EXTENSION]: {} } } : {}) },
    };
    const message = { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.process.stdin!.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** tools/call: the task (resultType "task") or the plain result. */
  async callTool(name: string, args: Record<string, unknown> = {}): Promise<{ task?: WireTask; result?: Record<string, unknown> }> {
    const reply = await this.request('tools/call', { name, arguments: args });
    return reply['resultType'] === 'task' ? { task: reply as unknown as WireTask } : { result: reply };
  }

  async getTask(taskId: string): Promise<WireTask> {
    return (await this.request('tasks/get', { taskId })) as unknown as WireTask;
  }

  /** Polls tasks/get until the task is terminal (or `until` holds). */
  async waitTask(taskId: string, until: (t: WireTask) => boolean = (t) => ['completed', 'failed', 'cancelled'].includes(t.status), timeoutMs = 8_000): Promise<WireTask> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = await this.getTask(taskId);
      if (until(task)) return task;
      if (Date.now() > deadline) throw new Error(`task ${taskId} still ${JSON.stringify(task)} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Opens a listen naming these tasks (pushes land in `pushes`); resolves once acknowledged. */
  listen(taskIds: string[]): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.process.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { notifications: { taskIds } } })}\n`);
    });
  }

  async close(): Promise<void> {
    this.process.stdin!.end();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3_000);
    await this.exited;
    clearTimeout(timer);
  }

  private readonly acks = new Map<number | string, () => void>();

  private receive(line: string): void {
    let m: { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } };
    try {
      m = JSON.parse(line);
    } catch {
      return;
    }
    if (m.method === 'notifications/tasks' && m.params) {
      this.pushes.push(m.params as unknown as WireTask);
      return;
    }
    if (m.method === 'notifications/subscriptions/acknowledged') {
      const sub = (m.params?.['_meta'] as Record<string, unknown> | undefined)?.['io.modelcontextprotocol/subscriptionId'];
      for (const [id, resolve] of this.acks) {
        if (sub === undefined || sub === id) {
          this.acks.delete(id);
          resolve();
        }
      }
      return;
    }
    if (typeof m.id !== 'number') return;
    const waiting = this.pending.get(m.id);
    if (!waiting) {
      this.acks.get(m.id)?.();
      this.acks.delete(m.id);
      return;
    }
    this.pending.delete(m.id);
    if (m.error) waiting.reject(new RpcError(m.error.code, m.error.message, m.error.data));
    else waiting.resolve(m.result ?? {});
  }
}
