#!/usr/bin/env node
// @ts-check
// Install step of @mcr/engine: use the prebuilt binaries when one loads on this host, otherwise
// (or with npm_config_build_from_source=true) build from the shipped sources with cmake-js.
'use strict';

const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const SHIPPED_PREBUILDS = ['linux-x64', 'linux-arm64'];

/** In the monorepo the root postinstall builds native/; the package's own sources are not staged. */
function inWorkspaceCheckout() {
  try {
    const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, '..', '..', 'native', 'package.json'), 'utf8'));
    return manifest.name === '@mcr/native';
  } catch {
    return false;
  }
}

/** npm sets npm_config_build_from_source for `--build-from-source`; a package name scopes it. */
function sourceBuildForced() {
  const value = process.env.npm_config_build_from_source;
  return value === 'true' || value === '@mcr/engine';
}

/** @param {string} program */
function onPath(program) {
  if (program.includes('/')) return existsSync(program);
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(path.join(dir, program)));
}

/** @returns {string[]} what a source build needs and this host lacks */
function missingBuildTools() {
  const missing = [];
  const compilers = [process.env.CXX, 'c++', 'g++', 'clang++'].filter((c) => typeof c === 'string' && c !== '');
  if (!compilers.some((c) => onPath(/** @type {string} */ (c))))
    missing.push('a C++20 compiler (g++ >= 10 or clang++ >= 13)');
  if (!onPath('cmake')) missing.push('cmake >= 3.18');
  if (!onPath('make') && !onPath('ninja')) missing.push('make (or ninja)');
  return missing;
}

/** @param {string} tag @param {string[]} missing */
function noToolsMessage(tag, missing) {
  return [
    `@mcr/engine: cannot build the native engine from source on ${tag} (node ${process.version}):`,
    `  missing ${missing.join(', ')}.`,
    '  Install them and reinstall, e.g.',
    '    Debian/Ubuntu:  apt-get install g++ cmake make',
    '    Alpine (musl):  apk add g++ cmake make linux-headers',
    '    RHEL/Fedora:    dnf install gcc-c++ cmake make',
    `  Prebuilt binaries ship for ${SHIPPED_PREBUILDS.join(', ')} (glibc >= 2.34); no compiler is needed there.`,
  ].join('\n');
}

/** @param {string} tag */
function buildFromSource(tag) {
  const missing = missingBuildTools();
  if (missing.length > 0) {
    console.error(noToolsMessage(tag, missing));
    process.exit(1);
  }
  const cmakeJs = path.join(path.dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
  const args = [
    cmakeJs,
    'compile',
    '--directory',
    path.join(PACKAGE_ROOT, 'native'),
    '--out',
    path.join(PACKAGE_ROOT, 'native', 'build'),
  ];
  const result = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `@mcr/engine: the source build on ${tag} failed (cmake-js exit ${result.status ?? result.signal}); its output is above.`,
    );
    process.exit(1);
  }
}

function main() {
  if (inWorkspaceCheckout()) return;
  /** @type {import('../dist/loader')} */
  const loader = require('../dist/loader.js');
  const tag = loader.platformTag();
  if (sourceBuildForced()) {
    console.log(`@mcr/engine: npm_config_build_from_source is set: building from source with cmake-js on ${tag}`);
  } else {
    try {
      const { file } = loader.loadAddonFrom([{ dir: loader.prebuildDir(), origin: 'prebuilt' }]);
      console.log(`@mcr/engine: using the prebuilt binaries for ${tag} (${path.relative(PACKAGE_ROOT, file)})`);
      return;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n').slice(1, 2).join('').trim() : String(error);
      console.log(`@mcr/engine: no usable prebuilt binary for ${tag} (${reason}): building from source with cmake-js`);
    }
  }
  buildFromSource(tag);
  const built = loader.loadAddonFrom([
    { dir: path.join(PACKAGE_ROOT, 'native', 'build', 'Release'), origin: 'source build' },
  ]);
  console.log(`@mcr/engine: built from source: ${path.relative(PACKAGE_ROOT, built.file)}`);
}

main();
