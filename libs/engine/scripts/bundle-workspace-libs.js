#!/usr/bin/env node
// @ts-check
// After tsc: puts the unpublished workspace libraries the engine uses inside its dist/, so the
// published @mcr/engine needs neither: @mcr/model's declaration files go to dist/model/ (the
// engine uses its types only), and all of @mcr/contract's dist goes to dist/contract/ (the engine
// reads the contract at run time: defaults, counters, error codes). Imports are repointed there.
'use strict';

const { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const DIST = path.resolve(__dirname, '..', 'dist');

/** @type {{ name: string, into: string, keep: (file: string) => boolean }[]} */
const BUNDLED = [
  { name: '@mcr/model', into: 'model', keep: (file) => file.endsWith('.d.ts') },
  { name: '@mcr/contract', into: 'contract', keep: (file) => file.endsWith('.d.ts') || file.endsWith('.js') },
];

/** @param {string} name */
function builtDist(name) {
  const dist = path.join(path.dirname(require.resolve(`${name}/package.json`)), 'dist');
  const files = readdirSync(dist);
  if (!files.includes('index.d.ts'))
    throw new Error(`bundle-workspace-libs: ${dist}/index.d.ts not found: build ${name} first`);
  return { dist, files };
}

/** Rewrites `'@mcr/x'` / `"@mcr/x"` in every .js and .d.ts file of `dir` to the bundled copy. */
function repoint(dir, relativeRoot) {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js') || name.endsWith('.d.ts'))) {
    const full = path.join(dir, file);
    let text = readFileSync(full, 'utf8');
    for (const { name, into } of BUNDLED) {
      text = text.replace(new RegExp(`(['"])${name.replace('/', '\\/')}\\1`, 'g'), `$1${relativeRoot}${into}$1`);
    }
    writeFileSync(full, text);
  }
}

function main() {
  for (const { name, into, keep } of BUNDLED) {
    const { dist, files } = builtDist(name);
    const target = path.join(DIST, into);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const file of files.filter(keep)) copyFileSync(path.join(dist, file), path.join(target, file));
    repoint(target, '../');
  }
  repoint(DIST, './');
}

main();
