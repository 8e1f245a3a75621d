// `mcrctl import <file>`: posts a rules file to POST /api/v1/import (all or nothing; --replace
// makes the service's relays equal the file) and prints what was created, replaced and deleted.
import { readFile } from 'node:fs/promises';
import JSON5 from 'json5';
import type { Command } from '../command';
import { CommandError } from '../command-error';
import { flagOption } from '../options';
import { renderImportPlan, renderImportResult, type ImportResult } from '../import-result';

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
  synopsis: 'import <file|-> [--replace] [--dry-run]',
  summary: 'Apply a rules file (JSON5): all rules or none',
  optionHelp: [
    '--replace              make the relays equal the file: relays not in it are deleted',
    '                       (default: merge by name, relays not in the file are kept)',
    '--dry-run              print what the import would create, replace (with each change),',
    '                       delete and leave unchanged, and change nothing',
    'Rules are matched to relays by name: a replaced relay keeps its id (and its metric labels).',
  ],
  examples: [
    'mcrctl import relays.json5',
    'mcrctl import --replace --dry-run relays.json5',
    'mcrctl export | ssh standby-host mcrctl import --replace -',
  ],
  options: { replace: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  completePositionals: 'files',
  positionals: { min: 1, max: 1, names: '<file|->' },
  async run(ctx, { values, positionals }) {
    const path = positionals[0];
    const text = await readRulesFile(path);
    checkSyntax(path, text);
    const dryRun = flagOption(values, 'dry-run');
    const query = new URLSearchParams();
    if (flagOption(values, 'replace')) query.set('mode', 'replace');
    if (dryRun) query.set('dryRun', 'true');
    const route = query.size > 0 ? `/api/v1/import?${query.toString()}` : '/api/v1/import';
    const result = await ctx.client.postText<ImportResult>(route, text, RULES_CONTENT_TYPE);
    const human = dryRun ? renderImportPlan(result) : renderImportResult(result);
    ctx.out.write(ctx.json ? `${JSON.stringify(result ?? {}, null, 2)}\n` : human);
  },
};
