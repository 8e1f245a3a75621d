// Splits argv into the command, its options and positionals, and the global options (which may
// come before or after the command). Everything wrong with the command line is a UsageError.
import { parseArgs } from 'node:util';
import type { Command, OptionsConfig, OptionValues } from './command';
import { DEFAULT_URL } from './help';
import { UsageError } from './usage-error';

export const GLOBAL_OPTIONS: OptionsConfig = {
  url: { type: 'string' },
  socket: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

/** Global options that take a value: the word after them is not the command. */
const GLOBAL_VALUE_OPTIONS = ['--url', '--socket', '--token'];

export type ParsedCommandLine =
  | { kind: 'help'; command?: Command }
  | { kind: 'version' }
  | { kind: 'run'; command: Command; values: OptionValues; positionals: string[] };

function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i];
    if (token === '--') return -1;
    if (!token.startsWith('-') || token === '-') return i;
    if (GLOBAL_VALUE_OPTIONS.includes(token)) i += 1;
  }
  return -1;
}

/** util.parseArgs messages end in advice about `--` that does not apply to mcrctl. */
function usageFromParseError(error: unknown, command?: Command): UsageError {
  // Read `message` structurally: the error may come from another realm (e.g. under a test VM).
  const raw = (error as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw.split('. To specify a positional')[0] : String(error);
  return new UsageError(command ? `${command.name}: ${message}` : message, command?.name);
}

function parseOptions(args: string[], options: OptionsConfig, command?: Command) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageFromParseError(error, command);
  }
}

function findCommand(name: string, commands: readonly Command[]): Command {
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    throw new UsageError(`unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')})`);
  }
  return command;
}

function checkPositionals(command: Command, positionals: string[]): void {
  const { min, max, names } = command.positionals;
  if (positionals.length < min) {
    throw new UsageError(`${command.name}: missing ${names}`, command.name);
  }
  if (positionals.length > max) {
    const extra = positionals
      .slice(max)
      .map((p) => `'${p}'`)
      .join(' ');
    throw new UsageError(`${command.name}: unexpected argument ${extra}`, command.name);
  }
}

export function parseCommandLine(argv: string[], commands: readonly Command[]): ParsedCommandLine {
  const index = commandIndex(argv);
  if (index < 0) {
    const { values } = parseOptions(argv, GLOBAL_OPTIONS);
    if (values.help === true) return { kind: 'help' };
    if (values.version === true) return { kind: 'version' };
    throw new UsageError('no command given');
  }
  if (argv[index] === 'help') {
    const topic = argv[index + 1];
    return { kind: 'help', command: topic === undefined ? undefined : findCommand(topic, commands) };
  }
  const command = findCommand(argv[index], commands);
  const rest = [...argv.slice(0, index), ...argv.slice(index + 1)];
  const { values, positionals } = parseOptions(rest, { ...GLOBAL_OPTIONS, ...command.options }, command);
  if (values.help === true) return { kind: 'help', command };
  checkPositionals(command, positionals);
  return { kind: 'run', command, values, positionals };
}

export interface ServiceEndpoint {
  url: string;
  /** The Unix socket to reach the service through (--socket / MCR_SOCKET); `url` is then only its Host. */
  socketPath?: string;
  token?: string;
}

/** The endpoint; a URL through a socket would be ambiguous: say which one wins, never guess. */
export function resolveEndpoint(values: OptionValues, env: NodeJS.ProcessEnv): ServiceEndpoint {
  const token = typeof values.token === 'string' ? values.token : env.MCR_TOKEN || undefined;
  const socketPath = resolveSocket(values, env);
  if (socketPath === undefined) return { ...resolveUrl(values, env), token };
  return { url: SOCKET_BASE_URL, socketPath, token };
}

/** What requests through a socket are addressed to (their Host header). */
const SOCKET_BASE_URL = 'http://localhost';

/** --socket or --url win over the environment; MCR_SOCKET and MCR_URL together are refused. */
function resolveSocket(values: OptionValues, env: NodeJS.ProcessEnv): string | undefined {
  const flag = typeof values.socket === 'string' ? values.socket : undefined;
  if (flag !== undefined && typeof values.url === 'string') {
    throw new UsageError('--url and --socket name two ways to the service: give one');
  }
  if (flag !== undefined) return checkSocketPath('--socket', flag);
  if (typeof values.url === 'string' || !env.MCR_SOCKET) return undefined;
  if (env.MCR_URL) {
    throw new UsageError('MCR_URL and MCR_SOCKET are both set: unset one, or choose with --url or --socket');
  }
  return checkSocketPath('MCR_SOCKET', env.MCR_SOCKET);
}

function checkSocketPath(source: string, path: string): string {
  if (path.trim() === '') throw new UsageError(`${source} must be the path of mcrd's socket (MCR_HTTP_SOCKET)`);
  return path;
}

/** --url wins over MCR_URL; a bad URL is named with where it came from. */
function resolveUrl(values: OptionValues, env: NodeJS.ProcessEnv): { url: string } {
  const fromFlag = typeof values.url === 'string' ? values.url : undefined;
  const source = fromFlag !== undefined ? '--url' : env.MCR_URL ? 'MCR_URL' : undefined;
  const url = fromFlag ?? (env.MCR_URL || DEFAULT_URL);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${source ?? 'url'} '${url}' is not a valid URL (e.g. ${DEFAULT_URL})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${source ?? 'url'} '${url}' must be an http:// or https:// URL`);
  }
  return { url };
}
