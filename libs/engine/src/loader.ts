// Finds and loads the native addon and the traffic tools: a local build, or the binaries prebuilt
// for this platform, architecture and C library. Errors list every place that was tried, and why.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NativeAddon } from './native';

const ADDON_FILE = 'mcr_engine.node';
const PACKAGE_ROOT = path.resolve(__dirname, '..');

export type Libc = 'glibc' | 'musl';
export type AddonOrigin = 'MCR_NATIVE_DIR' | 'source build' | 'workspace build' | 'prebuilt';

export interface SearchDir {
  dir: string;
  origin: AddonOrigin;
}

let libcCache: Libc | undefined;

/** The C library Node runs on (Linux only): Node's own report names the glibc it runs with. */
export function libc(): Libc {
  if (libcCache === undefined) {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    libcCache = report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
  }
  return libcCache;
}

/**
 * The prebuild directory name for this host, sharp's convention: `linux-x64` is glibc,
 * `linuxmusl-x64` is musl (no musl prebuild ships, so musl builds from source).
 */
export function platformTag(): string {
  const platform = process.platform === 'linux' && libc() === 'musl' ? 'linuxmusl' : process.platform;
  return `${platform}-${process.arch}`;
}

/** Where the prebuilt addon and tools for this host would be inside the package. */
export function prebuildDir(): string {
  return path.join(PACKAGE_ROOT, 'prebuilds', platformTag());
}

/** In the monorepo the engine sits at libs/engine, and native/ builds the addon beside it. */
function workspaceBuildDir(): string | undefined {
  const nativeRoot = path.join(PACKAGE_ROOT, '..', '..', 'native');
  try {
    const manifest = JSON.parse(readFileSync(path.join(nativeRoot, 'package.json'), 'utf8')) as { name?: string };
    return manifest.name === '@mcr/native' ? path.join(nativeRoot, 'build', 'Release') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Directories that may hold the addon and the tools, in order of preference: an explicit
 * MCR_NATIVE_DIR, a build from source inside this package (made by the install script when no
 * prebuild fits, or when forced), the monorepo's build, and last the shipped prebuild.
 */
function searchDirs(): SearchDir[] {
  const dirs: SearchDir[] = [];
  const fromEnv = process.env.MCR_NATIVE_DIR;
  if (fromEnv) dirs.push({ dir: fromEnv, origin: 'MCR_NATIVE_DIR' });
  dirs.push({ dir: path.join(PACKAGE_ROOT, 'native', 'build', 'Release'), origin: 'source build' });
  const workspace = workspaceBuildDir();
  if (workspace) dirs.push({ dir: workspace, origin: 'workspace build' });
  dirs.push({ dir: prebuildDir(), origin: 'prebuilt' });
  return dirs;
}

/** Directories that may hold the addon and the traffic tools, in order of preference. */
export function nativeSearchDirs(): string[] {
  return searchDirs().map((entry) => entry.dir);
}

export interface LoadedAddon {
  addon: NativeAddon;
  file: string;
  origin: AddonOrigin;
}

let loaded: LoadedAddon | undefined;

/** Loads the first addon that exists and loads (a prebuild for a newer glibc fails to load). */
export function loadAddonFrom(dirs: SearchDir[] = searchDirs()): LoadedAddon {
  const tried: string[] = [];
  for (const { dir, origin } of dirs) {
    const file = path.join(dir, ADDON_FILE);
    if (!existsSync(file)) {
      tried.push(`${file} (${origin}): not found`);
      continue;
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return { addon: require(file) as NativeAddon, file, origin };
    } catch (error) {
      tried.push(`${file} (${origin}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    `MCR native engine not loadable on ${platformTag()} (node ${process.version}); tried:\n  ${tried.join('\n  ')}\n` +
      'Reinstall @mcr/engine to build it from source (needs g++, cmake and make), e.g. ' +
      '`npm rebuild @mcr/engine --foreground-scripts`, or in the repository `npm run build -w @mcr/native`.',
  );
}

export function loadAddon(): NativeAddon {
  loaded ??= loadAddonFrom();
  return loaded.addon;
}

/** Which addon file runs and where it came from (for start-up logs and install checks). */
export function addonLocation(): { file: string; origin: AddonOrigin } {
  loaded ??= loadAddonFrom();
  return { file: loaded.file, origin: loaded.origin };
}

/** Absolute path of a traffic tool, searched in the same order as the addon. */
export function toolPath(name: 'mcrgen' | 'mcrsink'): string {
  const tried: string[] = [];
  for (const dir of nativeSearchDirs()) {
    const file = path.join(dir, name);
    tried.push(file);
    if (existsSync(file)) return file;
  }
  throw new Error(`${name} not found for ${platformTag()}; tried:\n  ${tried.join('\n  ')}`);
}
