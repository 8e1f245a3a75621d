// Command-line shape: global options anywhere, per-command options strict, positionals counted,
// and every mistake a UsageError that names the command, the flag or the value.
import { parseCommandLine, resolveEndpoint } from '../src/command-line';
import { COMMANDS } from '../src/commands';
import { UsageError } from '../src/usage-error';

function run(argv: string[]) {
  const parsed = parseCommandLine(argv, COMMANDS);
  if (parsed.kind !== 'run') throw new Error(`expected a command, got ${parsed.kind}`);
  return parsed;
}

describe('parseCommandLine', () => {
  it('accepts global options before and after the command', () => {
    const parsed = run(['--url', 'http://10.0.0.2:8080', 'get', 'feed-a', '--json', '--token=s3cret']);
    expect(parsed.command.name).toBe('get');
    expect(parsed.positionals).toEqual(['feed-a']);
    expect(parsed.values).toMatchObject({ url: 'http://10.0.0.2:8080', json: true, token: 's3cret' });
  });

  it('collects repeatable add flags in order', () => {
    const parsed = run([
      'add',
      '--name',
      'a',
      '--in',
      'eth0:239.1.1.1:5000',
      '--out',
      'x:1.1.1.1:1',
      '--out',
      'y:2.2.2.2:2',
    ]);
    expect(parsed.values.out).toEqual(['x:1.1.1.1:1', 'y:2.2.2.2:2']);
  });

  it('reads -o for export and -w for stats', () => {
    expect(run(['export', '-o', 'f.json5']).values.output).toBe('f.json5');
    expect(run(['stats', '-w']).values.watch).toBe(true);
  });

  it.each([
    [['--help'], undefined],
    [['-h'], undefined],
    [['help'], undefined],
    [['help', 'add'], 'add'],
    [['add', '--help'], 'add'],
    [['stats', '-h', '--watch'], 'stats'],
  ])('%j asks for help on %p', (argv, topic) => {
    const parsed = parseCommandLine(argv, COMMANDS);
    expect(parsed.kind).toBe('help');
    expect(parsed.kind === 'help' ? parsed.command?.name : 'x').toBe(topic);
  });

  it('shows help for a command even when its required flags are missing', () => {
    expect(parseCommandLine(['get', '--help'], COMMANDS).kind).toBe('help');
  });

  it.each([
    [
      ['frob'],
      "unknown command 'frob' (commands: list, get, add, rm, stats, cluster, switchover, maintenance, membership, import, export)",
      undefined,
    ],
    [['--json'], 'no command given', undefined],
    [['help', 'frob'], "unknown command 'frob'", undefined],
    [['list', '--bogus'], "list: Unknown option '--bogus'", 'list'],
    [['list', 'extra'], "list: unexpected argument 'extra'", 'list'],
    [['get'], 'get: missing <id|name>', 'get'],
    [['rm', 'a', 'b'], "rm: unexpected argument 'b'", 'rm'],
    [['import'], 'import: missing <file|->', 'import'],
    [['add', '--name'], "add: Option '--name <value>' argument missing", 'add'],
    [['stats', '--watch=yes'], "stats: Option '-w, --watch' does not take an argument", 'stats'],
    [['export', '--replace'], "export: Unknown option '--replace'", 'export'],
  ])('%j is a usage error: %s', (argv, message, command) => {
    let caught: unknown;
    try {
      parseCommandLine(argv, COMMANDS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toContain(message);
    expect((caught as UsageError).command).toBe(command);
  });
});

describe('resolveEndpoint', () => {
  it('defaults to the local service', () => {
    expect(resolveEndpoint({}, {})).toEqual({ url: 'http://127.0.0.1:8080', token: undefined });
  });

  it('takes MCR_URL and MCR_TOKEN, and lets the flags win over them', () => {
    const env = { MCR_URL: 'http://10.0.0.1:8080', MCR_TOKEN: 'env-token' };
    expect(resolveEndpoint({}, env)).toEqual({ url: 'http://10.0.0.1:8080', token: 'env-token' });
    expect(resolveEndpoint({ url: 'https://mcr.example:443', token: 'flag-token' }, env)).toEqual({
      url: 'https://mcr.example:443',
      token: 'flag-token',
    });
  });

  it.each([
    [{ url: 'localhost' }, {}, "--url 'localhost' is not a valid URL"],
    [{}, { MCR_URL: '10.0.0.1:8080' }, "MCR_URL '10.0.0.1:8080' is not a valid URL"],
    [{ url: 'ftp://x' }, {}, "--url 'ftp://x' must be an http:// or https:// URL"],
  ])('rejects %j / %j naming where the URL came from', (values, env, message) => {
    expect(() => resolveEndpoint(values, env)).toThrow(message);
  });
});
