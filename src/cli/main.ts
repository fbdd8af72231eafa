/**
 * `mcp-tasks`: the command-line face of the core (esbuild bundles this into dist/cli.js with a shebang).
 * This file is only the process glue: signals, stdout/stderr, the exit code. See cli.ts for the rest and
 * usage.ts for the commands and exit codes.
 */
import { runCli } from './cli';
import { Interrupted } from './errors';
import { isInteractive } from './terminal';
import { EXIT } from './usage';

/** After the exit code is set everything should already be closed; this only guards against a leak. */
const FORCED_EXIT_AFTER_MS = 2_000;

function main(): void {
  let interrupt: (e: Interrupted) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  // Commands that never wait never look at it; that must not count as an unhandled rejection.
  interrupted.catch(() => undefined);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C means "now": do not wait for the server to close politely.
    if (++signals > 1) process.exit(signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    interrupt(new Interrupted(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // `mcp-tasks watch SERVER | head -3`: the reader went away; end like Ctrl-C, silently.
  let stdoutBroken = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutBroken = true;
    interrupt(new Interrupted('EPIPE'));
  });

  const io = {
    out: (text: string) => void (stdoutBroken || process.stdout.write(text)),
    err: (text: string) => void process.stderr.write(text),
  };

  runCli(process.argv.slice(2), { io, interrupted, interrupt: () => onSignal('SIGINT'), interactive: isInteractive() })
    .catch((e: unknown) => {
      // A bug of ours, not a server's answer: show everything that helps to fix it.
      process.stderr.write(`mcp-tasks: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return EXIT.server;
    })
    .then(async (code) => {
      process.exitCode = code;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await Promise.all([flush(process.stdout), flush(process.stderr)]);
      // The process should now end by itself (nothing open). If something still holds it, say so and go.
      setTimeout(() => {
        process.stderr.write('mcp-tasks: warning: something kept the process alive after closing; exiting anyway\n');
        process.exit(code);
      }, FORCED_EXIT_AFTER_MS).unref();
    });
}

/** Resolves once everything written so far has been handed to the OS (pipes are asynchronous). */
function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) resolve();
    else stream.write('', () => resolve());
  });
}

main();
