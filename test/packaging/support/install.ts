// Builds, packs and installs MCR the way an operator does: prebuilds, npm tarballs, then
// `npm install <tarballs>` into an empty directory whose PATH holds node, npm and sh but no compiler.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, type RunResult } from '../../lib';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Serialises prebuild + pack: both write into libs/engine (prebuilds/, staged sources). */
const BUILD_LOCK = path.join(tmpdir(), 'mcr-packaging-build.lock');
const SEARCH_PATH = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':');
const BUILD_TOOLS = ['cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'cmake', 'make', 'ninja'];

function which(program: string): string {
  for (const dir of SEARCH_PATH) {
    const file = path.join(dir, program);
    if (dir !== '' && existsSync(file)) return file;
  }
  throw new Error(`${program} is not on PATH (${SEARCH_PATH.join(':')})`);
}

/**
 * A directory holding only node, npm, npx and sh (and ip, which starts processes in the test's
 * namespaces): the PATH of a relay host without a compiler. World-readable, so the unprivileged
 * mcrd of the capability test can run node from it too.
 */
export function toolchainFreeBin(root: string): string {
  const bin = path.join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const program of ['node', 'npm', 'npx', 'sh', 'ip']) symlinkSync(which(program), path.join(bin, program));
  const leaked = readdirSync(bin).filter((name) => BUILD_TOOLS.includes(name));
  if (leaked.length > 0) throw new Error(`toolchain-free PATH holds ${leaked.join(', ')}`);
  chmodSync(root, 0o755);
  return bin;
}

/** A fresh world-readable temporary directory. */
export function freshDir(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `mcr-${tag}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** `npm run prebuilds` (scripts/prebuild.sh) then packaging/pack.sh into `dest`; returns the tarballs. */
export async function prebuildAndPack(dest: string): Promise<Record<string, string>> {
  const script = `bash scripts/prebuild.sh && bash packaging/pack.sh '${dest}'`;
  await run('flock', [BUILD_LOCK, 'bash', '-c', script], { cwd: REPO_ROOT });
  const tarballs: Record<string, string> = {};
  for (const name of readdirSync(dest).filter((file) => file.endsWith('.tgz'))) {
    tarballs[name.replace(/^mcr-(.*)-\d+\.\d+\.\d+\.tgz$/, '$1')] = path.join(dest, name);
  }
  return tarballs;
}

export interface Installed {
  dir: string;
  bin: string;
  output: string;
  seconds: number;
}

/**
 * Installs `tarballs` into the empty directory `dir` with npm, PATH = `bin` only. Third-party
 * dependencies come from npm's cache when it has them (--prefer-offline), else the registry.
 */
export async function installTarballs(
  dir: string,
  bin: string,
  tarballs: string[],
  extraEnv: Record<string, string> = {},
): Promise<Installed> {
  // allowScripts: the engine's install step runs (deliberately); scarf's phone-home does not.
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      { private: true, allowScripts: { '@mcr/engine': true, protobufjs: true, '@scarf/scarf': false } },
      null,
      2,
    ),
  );
  const started = Date.now();
  const result = await npm(
    dir,
    bin,
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', ...tarballs],
    extraEnv,
  );
  return { dir, bin, output: result.stdout + result.stderr, seconds: (Date.now() - started) / 1000 };
}

/** Runs npm from `bin` in `dir` with a clean environment whose PATH is `bin` only (unless extraEnv sets PATH). */
export function npm(
  dir: string,
  bin: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  allowFailure = false,
): Promise<RunResult> {
  return run(path.join(bin, 'npm'), args, {
    cwd: dir,
    allowFailure,
    env: { HOME: process.env.HOME ?? '/root', PATH: bin, SCARF_ANALYTICS: 'false', ...extraEnv },
  });
}
