// Finds and loads the native addon: a prebuilt binary for this platform, or a local build.
// The error lists every place that was tried, so a broken install says what is missing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NativeAddon } from './native';

const ADDON_FILE = 'mcr_engine.node';

/** Directories that may hold the addon and the traffic tools, in order of preference. */
export function nativeSearchDirs(): string[] {
  const packageRoot = path.resolve(__dirname, '..');
  const platformTag = `${process.platform}-${process.arch}`;
  const dirs = [
    process.env.MCR_NATIVE_DIR,
    path.join(packageRoot, 'prebuilds', platformTag),
    path.join(packageRoot, '..', '..', 'native', 'build', 'Release'),
    path.join(packageRoot, 'native', 'build', 'Release'),
  ];
  return dirs.filter((dir): dir is string => typeof dir === 'string' && dir.length > 0);
}

let cached: NativeAddon | undefined;

export function loadAddon(): NativeAddon {
  if (cached) return cached;
  const tried: string[] = [];
  for (const dir of nativeSearchDirs()) {
    const file = path.join(dir, ADDON_FILE);
    tried.push(file);
    if (existsSync(file)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = require(file) as NativeAddon;
      return cached;
    }
  }
  throw new Error(
    `MCR native engine not found for ${process.platform}-${process.arch}; tried:\n  ${tried.join('\n  ')}\n` +
      'Build it with `npm run build -w @mcr/native` (needs g++ and cmake).',
  );
}

/** Absolute path of a traffic tool shipped beside the addon. */
export function toolPath(name: 'mcrgen' | 'mcrsink'): string {
  const tried: string[] = [];
  for (const dir of nativeSearchDirs()) {
    const file = path.join(dir, name);
    tried.push(file);
    if (existsSync(file)) return file;
  }
  throw new Error(`${name} not found; tried:\n  ${tried.join('\n  ')}`);
}
