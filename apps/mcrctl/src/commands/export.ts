// `mcrctl export [-o FILE]`: the service's relays as a rules file (GET /api/v1/export), the same
// format `import` takes, so export -> import round-trips.
import { rename, writeFile } from 'node:fs/promises';
import type { Command } from '../command';
import { CommandError } from '../command-error';
import { stringOption } from '../options';

/** Temp file + rename: an interrupted export never leaves a half-written rules file behind. */
async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    throw new CommandError(`cannot write '${path}': ${(error as Error).message}`);
  }
}

export const exportCommand: Command = {
  name: 'export',
  synopsis: 'export [-o FILE]',
  summary: 'Print all relays as a rules file (the format import takes)',
  optionHelp: ['-o, --output FILE      write to FILE instead of stdout'],
  examples: ['mcrctl export > relays.json5', 'mcrctl export -o /etc/mcr/backup.json5'],
  options: { output: { type: 'string', short: 'o' } },
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx, { values }) {
    const text = await ctx.client.getText('/api/v1/export');
    const body = text.endsWith('\n') ? text : `${text}\n`;
    const output = stringOption(values, 'output');
    if (output === undefined) {
      ctx.out.write(body);
      return;
    }
    await writeFileAtomically(output, body);
    ctx.err.write(`exported to ${output}\n`);
  },
};
