#!/usr/bin/env node
// The `mcrctl` command: npm links this committed file at install time (before the TypeScript is
// built, so it cannot point into dist/ directly); the CLI itself is src/main.ts.
require('../dist/main.js').main();
