// What every mcrctl command is: its command-line shape (options, positionals, help text) and a
// run function that talks to the service through the context it is given.
import type { ParseArgsConfig } from 'node:util';
import type { ApiClient } from './api-client';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values, keyed by long option name. */
export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface Writer {
  write(text: string): unknown;
}

export interface CommandContext {
  client: ApiClient;
  /** `--json`: machine-readable output on stdout. */
  json: boolean;
  out: Writer;
  err: Writer;
  /** Whether stdout is a terminal (redraw in place) or a pipe (append). */
  interactive: boolean;
  /** Aborted on SIGINT/SIGTERM, so long-running commands (stats --watch) end cleanly. */
  signal: AbortSignal;
  /** The whole command table (shell completion is generated from it). */
  commands: readonly Command[];
}

export interface CommandInput {
  values: OptionValues;
  positionals: string[];
}

export interface Command {
  name: string;
  /** Positionals and options as shown in help, e.g. "get <id|name>". */
  synopsis: string;
  summary: string;
  /** Option descriptions, one "  --flag VALUE   meaning" line each. */
  optionHelp: string[];
  examples: string[];
  options: OptionsConfig;
  positionals: { min: number; max: number; names: string };
  /** What shell completion offers for the positionals: fixed words, or file names. Default: nothing. */
  completePositionals?: readonly string[] | 'files';
  /** Resolves to the exit code when it is not 0 (EXIT_OK); errors are thrown, not returned. */
  run(ctx: CommandContext, input: CommandInput): Promise<number | void>;
}
