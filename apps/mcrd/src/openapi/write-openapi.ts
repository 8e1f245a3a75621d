// Writes (or with --check, verifies) the committed apps/mcrd/openapi.json from the service's
// own controllers. Nest's preview mode builds the module graph without starting the store or
// the engine, so this runs anywhere, even without the native addon.
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/load-config';
import { buildOpenApiDocument } from './openapi-document';

export const OPENAPI_PATH = join(__dirname, '..', '..', 'openapi.json');

export async function renderOpenApi(): Promise<string> {
  const config = loadConfig({ env: { MCR_LOG_LEVEL: 'silent' }, hostname: () => 'openapi' });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const text = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  return text;
}

async function main(): Promise<void> {
  const text = await renderOpenApi();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(OPENAPI_PATH, 'utf8');
    } catch {
      // Missing file: reported below like any difference.
    }
    if (committed !== text) {
      process.stderr.write(`${OPENAPI_PATH} is out of date: run \`npm run openapi -w @mcr/mcrd\` and commit it\n`);
      process.exit(1);
    }
    process.stdout.write(`${OPENAPI_PATH} is current\n`);
    return;
  }
  writeFileSync(OPENAPI_PATH, text);
  process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
}

if (require.main === module) void main();
