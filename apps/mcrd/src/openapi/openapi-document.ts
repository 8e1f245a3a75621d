// Builds the OpenAPI document of the service; the same function serves /docs-json and writes
// the committed apps/mcrd/openapi.json, so the two cannot drift apart.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { MCRD_VERSION } from '../build-info';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MCR relay API')
    .setDescription(
      'REST API of mcrd, the MCR multicast relay service. Errors are JSON { statusCode, error, message }; ' +
        'validation messages name the field and the bad value. With MCR_API_TOKEN set, mutating routes need ' +
        '`Authorization: Bearer <token>`; with MCR_API_TOKEN_READ set, reads too. Health and metrics are always open.',
    )
    .setVersion(MCRD_VERSION)
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
