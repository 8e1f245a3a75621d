#!/usr/bin/env node
// The `mcrd` command: npm links this committed file at install time (before the TypeScript is
// built, so it cannot point into dist/ directly); the service itself is src/main.ts.
require('../dist/main.js');
