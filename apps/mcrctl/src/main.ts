#!/usr/bin/env node
// mcrctl entry point: parses the command line, runs the command against the service, and maps
// every outcome to an exit code (exit-codes.ts) with a one-line reason.
import { ApiClient, ApiError, ServiceUnreachableError } from './api-client';
import { unauthorizedHint } from './auth-hint';
import type { Writer } from './command';
import { CommandError } from './command-error';
import { parseCommandLine, resolveEndpoint } from './command-line';
import { COMMANDS } from './commands';
import { renderCommandHelp, renderMainHelp } from './help';
import { UsageError } from './usage-error';
import { versionLine } from './version';

import { EXIT_API_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from './exit-codes';

export { EXIT_API_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from './exit-codes';

export interface CliEnvironment {
  env: NodeJS.ProcessEnv;
  out: Writer;
  err: Writer;
  interactive: boolean;
  signal: AbortSignal;
  fetchImpl?: typeof fetch;
}

/** "400 Bad Request: a" or, for validation lists, one message per line. */
export function formatApiError(error: ApiError): string {
  const head = `${error.status} ${error.error}`;
  if (error.messages.length === 0) return head;
  if (error.messages.length === 1) return `${head}: ${error.messages[0]}`;
  return `${head}:\n${error.messages.map((m) => `  - ${m}`).join('\n')}`;
}

/** `sentToken`: whether the request carried a token, for the advice after a 401. */
function reportFailure(error: unknown, io: CliEnvironment, sentToken: boolean): number {
  if (io.signal.aborted) return EXIT_INTERRUPTED;
  if (error instanceof UsageError) {
    const help = error.command ? `mcrctl ${error.command} --help` : 'mcrctl --help';
    io.err.write(`mcrctl: ${error.message}\nRun '${help}' for usage.\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ApiError) {
    io.err.write(`mcrctl: ${formatApiError(error)}\n`);
    if (error.status === 401) io.err.write(`mcrctl: ${unauthorizedHint(sentToken)}\n`);
    return EXIT_API_ERROR;
  }
  if (error instanceof ServiceUnreachableError || error instanceof CommandError) {
    io.err.write(`mcrctl: ${error.message}\n`);
    return EXIT_API_ERROR;
  }
  // A bug or an answer mcrctl cannot read: still one line, and the detail only on request.
  const detail = io.env.MCRCTL_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
  io.err.write(`mcrctl: unexpected error: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
  return EXIT_API_ERROR;
}

export async function runCli(argv: string[], io: CliEnvironment): Promise<number> {
  if (argv.length === 0) {
    io.err.write(renderMainHelp(COMMANDS));
    return EXIT_USAGE;
  }
  let sentToken = false;
  try {
    const parsed = parseCommandLine(argv, COMMANDS);
    if (parsed.kind === 'help') {
      io.out.write(parsed.command ? renderCommandHelp(parsed.command) : renderMainHelp(COMMANDS));
      return EXIT_OK;
    }
    if (parsed.kind === 'version') {
      io.out.write(versionLine());
      return EXIT_OK;
    }
    const endpoint = resolveEndpoint(parsed.values, io.env);
    const client = new ApiClient({
      baseUrl: endpoint.url,
      socketPath: endpoint.socketPath,
      token: endpoint.token,
      signal: io.signal,
      fetchImpl: io.fetchImpl,
    });
    sentToken = client.hasToken;
    const ctx = {
      client,
      json: parsed.values.json === true,
      out: io.out,
      err: io.err,
      interactive: io.interactive,
      signal: io.signal,
      commands: COMMANDS,
    };
    const status = await parsed.command.run(ctx, { values: parsed.values, positionals: parsed.positionals });
    return status ?? EXIT_OK;
  } catch (error) {
    return reportFailure(error, io, sentToken);
  }
}

/** Runs the command line of this process (bin/mcrctl.js calls it; so does `node dist/main.js`). */
export function main(): void {
  const interrupt = new AbortController();
  // First Ctrl-C ends the command cleanly (stats --watch exits 0); a second one kills as usual.
  process.once('SIGINT', () => interrupt.abort());
  process.once('SIGTERM', () => interrupt.abort());
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `mcrctl export | head` closes the pipe early: that is the reader's choice, not a failure.
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
  void runCli(process.argv.slice(2), {
    env: process.env,
    out: process.stdout,
    err: process.stderr,
    interactive: process.stdout.isTTY === true,
    signal: interrupt.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
