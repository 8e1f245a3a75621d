// `mcrctl --version`: the package version, the commit the build was made from (written by
// scripts/write-build-info.js at build time) and the Node.js running it, so a bug report names
// exactly which client it was.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** dist/ and src/ sit at the same depth, so package.json is one level up from either. */
export function versionLine(): string {
  const version = readJson(join(__dirname, '..', 'package.json'))?.version ?? 'unknown';
  const commit = readJson(join(__dirname, 'build-info.json'))?.commit ?? 'unknown';
  return `mcrctl ${String(version)} (commit ${String(commit)}, node ${process.version}, ${process.platform}-${process.arch})\n`;
}
