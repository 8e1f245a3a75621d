// Builds the dashboard into apps/mcrd/dist/dashboard: one minified script and one stylesheet,
// named by content hash (cached forever), and index.html pointing at them. No CDN, no runtime fetches.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../dist/dashboard');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const result = await build({
  entryPoints: { app: path.join(here, 'src/main.tsx') },
  outdir: path.join(outDir, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = outputs.find((file) => file.endsWith('.js'));
const style = outputs.find((file) => file.endsWith('.css'));
if (script === undefined || style === undefined)
  throw new Error(`dashboard build wrote no script or stylesheet: ${outputs.join(', ')}`);
const page = readFileSync(path.join(here, 'index.html'), 'utf8')
  .replace('{{SCRIPT}}', script)
  .replace('{{STYLE}}', style);
writeFileSync(path.join(outDir, 'index.html'), page);
const bytes = Object.values(result.metafile.outputs).reduce((total, output) => total + output.bytes, 0);
console.log(`dashboard: ${script}, ${style}; ${(bytes / 1024).toFixed(1)} KiB before compression`);
