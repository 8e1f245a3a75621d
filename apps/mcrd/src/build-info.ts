// The service's version, read once from its package.json (dist/ and src/ sit at the same depth).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MCRD_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;
