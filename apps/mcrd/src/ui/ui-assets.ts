// Where the dashboard's built files live and how long browsers may keep them. The bundler
// names scripts and styles by content hash, so those never change; index.html always may.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const UI_ASSETS_DIR = Symbol('UI_ASSETS_DIR');

/** apps/mcrd/dist/dashboard, written by apps/mcrd/ui/build.mjs; the same path from src/ui and dist/ui. */
export function defaultUiAssetsDir(): string {
  return path.resolve(__dirname, '../../dist/dashboard');
}

/** The page loads only its own files and talks only to its own origin; no framing (clickjacking
 * of the action buttons). Scripts setting element styles are not inline styles, so uPlot works. */
export const PAGE_SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

export const INDEX_CACHE_CONTROL = 'no-cache';
export const HASHED_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Content-hashed bundle names look like app-3F2A9C1B.js (see apps/mcrd/ui/build.mjs). */
export function isContentHashed(file: string): boolean {
  return /-[A-Z0-9]{8}\.(js|css)$/.test(file);
}

export function uiIsBuilt(dir: string): boolean {
  return existsSync(path.join(dir, 'index.html'));
}
