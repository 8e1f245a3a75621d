// Builds the HTTP application around AppModule: server time and connection limits, 405/415 from
// the OpenAPI document, body parsers with size and depth limits, the global validation pipe,
// Swagger, logging. Shared by main.ts and the tests, so both run the same app.
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { McrdConfig } from './config/config.types';
import { bodyParserErrorHandler } from './http/body-errors';
import { FrameworkQuietLogger } from './logging/framework-logger';
import { bodyDepthLimit } from './http/body-depth';
import { routeGuards } from './http/route-guards';
import { RouteTable } from './http/route-table';
import { applyServerLimits } from './http/server-limits';
import { createValidationPipe } from './http/validation';
import { buildOpenApiDocument, setupSwagger } from './openapi/openapi-document';

/** Largest request body: a 256-output relay is ~40 KiB; a rules file of ~10,000 relays fits. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const document = buildOpenApiDocument(app);
  applyServerLimits(app.getHttpServer());
  // 405 and 415 come from the document itself, before any body is read.
  app.use(routeGuards(new RouteTable(document)));
  // PATCH takes application/merge-patch+json (RFC 7396): JSON, read by the same parser.
  app.useBodyParser('json', { type: ['application/json', 'application/merge-patch+json'], limit: BODY_LIMIT_BYTES });
  // Rules files may be JSON5, which the JSON parser refuses: import reads them as text.
  app.useBodyParser('text', { type: ['text/plain', 'application/json5'], limit: BODY_LIMIT_BYTES });
  app.use(bodyParserErrorHandler);
  app.use(bodyDepthLimit);
  app.useGlobalPipes(createValidationPipe());
  app.set('x-powered-by', false);
  setupSwagger(app, document);
  return app;
}

export async function createApp(config: McrdConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    // Nest's own start-up chatter is not logged; from useLogger on everything goes through pino.
    logger: false,
    // Without this Nest calls process.abort() on a start-up error; main.ts prints it instead.
    abortOnError: false,
  });
  app.useLogger(new FrameworkQuietLogger(app.get(Logger)));
  return configureApp(app);
}
