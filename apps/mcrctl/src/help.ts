// `--help` text: the overview (commands, global options, environment, exit codes) and one page
// per command with its options and an example.
import { EXIT_CODE_HELP } from './exit-codes';
import type { Command } from './command';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

const GLOBAL_OPTION_HELP = [
  `--url URL              MCR service (default: $MCR_URL, else ${DEFAULT_URL})`,
  "--socket PATH          reach it through mcrd's Unix socket instead (default: $MCR_SOCKET)",
  '--token TOKEN          bearer token (default: $MCR_TOKEN)',
  '--json                 machine-readable JSON on stdout',
  '-h, --help             help for mcrctl or for a command',
  '-V, --version          version, commit and Node.js of this mcrctl',
];

function indent(lines: string[]): string {
  return lines.map((line) => `  ${line}`).join('\n');
}

export function renderMainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.synopsis.split(' ')[0].length));
  const commandLines = commands.map((c) => `${c.name.padEnd(width)}   ${c.summary}`);
  return [
    'mcrctl: command-line client of the MCR multicast relay service',
    '',
    'usage: mcrctl <command> [options]',
    '',
    'commands:',
    indent(commandLines),
    '',
    'global options:',
    indent(GLOBAL_OPTION_HELP),
    '',
    'exit codes:',
    indent(EXIT_CODE_HELP),
    '',
    'examples:',
    indent(['mcrctl add --name feed-a --in eth0:239.1.1.1:5000 --out eth1:239.2.2.2:6000', 'mcrctl stats --watch']),
    '',
    "Run 'mcrctl <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export function renderCommandHelp(command: Command): string {
  const sections = [`usage: mcrctl ${command.synopsis} [global options]`, '', command.summary, ''];
  if (command.optionHelp.length > 0) sections.push('options:', indent(command.optionHelp), '');
  sections.push('global options:', indent(GLOBAL_OPTION_HELP), '');
  sections.push(command.examples.length > 1 ? 'examples:' : 'example:', indent(command.examples), '');
  return sections.join('\n');
}
