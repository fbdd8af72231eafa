/**
 * Questions on the terminal: `${input:...}` values while the config is read, and a server's elicitation
 * while a task waits for input. Prompts go to stderr so stdout stays clean for `--json` and pipes. Without
 * a terminal nothing is asked: inputs fail their server with a clear reason, elicitations are declined.
 */
import * as readline from 'node:readline';
import { Writable } from 'node:stream';
import { describeSimpleSchema, type ElicitationHandler, type InputResolver, parseFieldValue, type SchemaField } from '../core';

export interface TerminalStreams {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Asking makes sense only when a person can both read the question and type the answer. */
export function isInteractive(streams: TerminalStreams = { input: process.stdin, output: process.stderr }): boolean {
  return Boolean(streams.input.isTTY) && Boolean(streams.output.isTTY);
}

/** Thrown out of a prompt when the user pressed Ctrl-C or closed the input (Ctrl-D). */
export class PromptAborted extends Error {
  constructor() {
    super('the question was dismissed');
    this.name = 'PromptAborted';
  }
}

export class TerminalPrompter {
  /** One question at a time: an elicitation may arrive while another is being answered. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `onInterrupt`: Ctrl-C at a prompt reaches us as a keypress (the terminal is in raw mode), not as a
   * signal; the host makes it stop the command as Ctrl-C does anywhere else.
   */
  constructor(
    private readonly onInterrupt: () => void,
    private readonly streams: TerminalStreams = { input: process.stdin, output: process.stderr },
  ) {}

  /** Asks one line; `secret` hides what is typed. Rejects with PromptAborted on Ctrl-C / end of input. */
  ask(question: string, secret = false): Promise<string> {
    const next = this.queue.then(() => this.askNow(question, secret));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private askNow(question: string, secret: boolean): Promise<string> {
    const out = this.streams.output;
    let muted = false;
    // Echo goes through this stream, so muting it hides a password while still showing the question.
    const echo = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        if (!muted) out.write(chunk);
        done();
      },
    });
    const rl = readline.createInterface({ input: this.streams.input, output: echo, terminal: Boolean(this.streams.input.isTTY) });
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        if (secret) out.write('\n');
        rl.close();
        fn();
      };
      rl.on('SIGINT', () => {
        // First: the command must see the interrupt before it sees the dismissed question.
        this.onInterrupt();
        finish(() => reject(new PromptAborted()));
      });
      rl.on('close', () => finish(() => reject(new PromptAborted())));
      rl.question(question, (answer) => finish(() => resolve(answer)));
      muted = secret;
    });
  }

  /** The InputResolver the config loader uses: undefined (dismissed) on Ctrl-C. */
  readonly resolveInput: InputResolver = async (input) => {
    const options = input.options && input.options.length > 0 ? ` (${input.options.join(', ')})` : '';
    const fallback = input.default !== undefined && !input.password ? ` [${input.default}]` : '';
    const label = `${input.description ?? input.id}${options}${fallback}: `;
    for (;;) {
      let answer: string;
      try {
        answer = await this.ask(label, input.password === true);
      } catch (e) {
        if (e instanceof PromptAborted) return undefined;
        throw e;
      }
      if (answer === '' && input.default !== undefined) return input.default;
      if (input.options && input.options.length > 0 && !input.options.includes(answer)) {
        this.streams.output.write(`Please answer one of: ${input.options.join(', ')}\n`);
        continue;
      }
      return answer;
    }
  };

  /** The ElicitationHandler: one question per field of a simple form, else the answer as JSON. */
  readonly elicit: ElicitationHandler = async (request) => {
    const out = this.streams.output;
    out.write(`\n${request.serverId}${request.taskId ? ` (task ${request.taskId})` : ''} asks: ${request.message}\n`);
    try {
      if (!(await this.askYesNo('Answer? [Y/n] ', true))) return { action: 'decline' };
      const fields = describeSimpleSchema(request.requestedSchema);
      const content = fields ? await this.askFields(fields) : await this.askJson();
      return { action: 'accept', content };
    } catch (e) {
      if (e instanceof PromptAborted) return { action: 'cancel' };
      throw e;
    }
  };

  /** y/yes or n/no (any case), empty = `fallback`; anything else is asked again. */
  private async askYesNo(question: string, fallback: boolean): Promise<boolean> {
    for (;;) {
      const answer = (await this.ask(question)).trim().toLowerCase();
      if (answer === '') return fallback;
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === 'n' || answer === 'no') return false;
      this.streams.output.write('Please answer y (yes) or n (no).\n');
    }
  }

  private async askFields(fields: readonly SchemaField[]): Promise<Record<string, unknown>> {
    const content: Record<string, unknown> = {};
    for (const field of fields) {
      const hints = [
        field.options ? field.options.join('/') : field.kind === 'boolean' ? 'true/false' : field.kind !== 'string' ? field.kind : '',
        field.required ? '' : 'optional',
      ].filter(Boolean);
      const fallback = field.defaultValue !== undefined ? ` [${String(field.defaultValue)}]` : '';
      const label = `${field.title}${field.description ? ` - ${field.description}` : ''}${hints.length ? ` (${hints.join(', ')})` : ''}${fallback}: `;
      for (;;) {
        const text = await this.ask(label);
        if (text === '') {
          if (field.defaultValue !== undefined) {
            content[field.name] = field.defaultValue;
            break;
          }
          if (!field.required) break;
          this.streams.output.write(`${field.title} is required.\n`);
          continue;
        }
        const parsed = parseFieldValue(field, text);
        if ('error' in parsed) {
          this.streams.output.write(`${parsed.error}\n`);
          continue;
        }
        content[field.name] = parsed.value;
        break;
      }
    }
    return content;
  }

  private async askJson(): Promise<Record<string, unknown>> {
    for (;;) {
      const text = await this.ask('Answer as a JSON object: ');
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // Fall through to the hint below.
      }
      this.streams.output.write('That is not a JSON object, e.g. {"answer":"blue"}.\n');
    }
  }
}

/** Without a terminal: every elicitation is declined (the server decides what a declined task does). */
export const declineElicitation: ElicitationHandler = async () => ({ action: 'decline' });
