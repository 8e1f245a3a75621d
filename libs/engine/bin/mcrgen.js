#!/usr/bin/env node
// The `mcrgen` command: npm links this committed file at install time (before the TypeScript is
// built, so it cannot point into dist/ directly); the launcher itself is src/bin/mcrgen.ts.
require('../dist/bin/mcrgen.js');
