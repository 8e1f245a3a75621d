#!/usr/bin/env node
// The `mcrsink` command: npm links this committed file at install time (before the TypeScript is
// built, so it cannot point into dist/ directly); the launcher itself is src/bin/mcrsink.ts.
require('../dist/bin/mcrsink.js');
