// `mcrctl import <file>`: posts a rules file to POST /api/v1/import (all or nothing; --replace
// makes the service's relays equal the file) and prints what was created, replaced and deleted.
import { readFile } from 'node:fs/promises';
import JSON5 from 'json5';
import type { Command } from '../command';
import { CommandError } from '../command-error';
import { flagOption } from '../options';
import { renderImportResult, type ImportResult } from '../import-result';

/** The file's text; `-` reads stdin so an export can be piped straight in. */
async function readRulesFile(path: string): Promise<string> {
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CommandError(`cannot read rules file '${path}': ${(error as Error).message}`);
  }
}

/**
 * Syntax is checked here so a typo is reported with the file name, line and column without a
 * round trip; the rules themselves are the service's to judge.
 */
function checkSyntax(path: string, text: string): void {
  try {
    JSON5.parse(text);
  } catch (error) {
    throw new CommandError(`rules file '${path}' is not valid JSON5: ${(error as Error).message}`);
  }
}

/** JSON is a subset of JSON5, so every rules file goes as JSON5 text, exactly as written. */
const RULES_CONTENT_TYPE = 'application/json5';

export const importCommand: Command = {
  name: 'import',
  synopsis: 'import <file|-> [--replace]',
  summary: 'Apply a rules file (JSON5): all rules or none',
  optionHelp: [
    '--replace              make the relays equal the file: relays not in it are deleted',
    '                       (default: merge by name, relays not in the file are kept)',
  ],
  examples: ['mcrctl import relays.json5', 'mcrctl export | ssh standby-host mcrctl import --replace -'],
  options: { replace: { type: 'boolean' } },
  positionals: { min: 1, max: 1, names: '<file|->' },
  async run(ctx, { values, positionals }) {
    const path = positionals[0];
    const text = await readRulesFile(path);
    checkSyntax(path, text);
    const query = flagOption(values, 'replace') ? '?mode=replace' : '';
    const result = await ctx.client.postText<ImportResult>(`/api/v1/import${query}`, text, RULES_CONTENT_TYPE);
    ctx.out.write(ctx.json ? `${JSON.stringify(result ?? {}, null, 2)}\n` : renderImportResult(result));
  },
};
