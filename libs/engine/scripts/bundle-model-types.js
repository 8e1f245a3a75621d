#!/usr/bin/env node
// @ts-check
// After tsc: copies @mcr/model's declaration files into dist/model/ and points the engine's
// declarations there, so the published @mcr/engine type-checks without the unpublished @mcr/model
// (the engine uses the model's types only; its JavaScript never loads @mcr/model).
'use strict';

const { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const DIST = path.resolve(__dirname, '..', 'dist');
const BUNDLED = path.join(DIST, 'model');
const MODEL_IMPORT = /(from\s+)'@mcr\/model'/g;

function modelDeclarations() {
  const modelDist = path.join(path.dirname(require.resolve('@mcr/model/package.json')), 'dist');
  const files = readdirSync(modelDist).filter((name) => name.endsWith('.d.ts'));
  if (!files.includes('index.d.ts')) {
    throw new Error(`bundle-model-types: ${modelDist}/index.d.ts not found: build @mcr/model first`);
  }
  return { modelDist, files };
}

function main() {
  const { modelDist, files } = modelDeclarations();
  rmSync(BUNDLED, { recursive: true, force: true });
  mkdirSync(BUNDLED, { recursive: true });
  for (const name of files) copyFileSync(path.join(modelDist, name), path.join(BUNDLED, name));
  for (const name of readdirSync(DIST).filter((file) => file.endsWith('.d.ts'))) {
    const file = path.join(DIST, name);
    const text = readFileSync(file, 'utf8');
    if (MODEL_IMPORT.test(text)) writeFileSync(file, text.replace(MODEL_IMPORT, "$1'./model'"));
    MODEL_IMPORT.lastIndex = 0;
  }
}

main();
