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
    // Opaque tokens compared as they are (no JWT): hence no bearerFormat.
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'MCR_API_TOKEN (writes; reads too when MCR_API_TOKEN_READ is set) or MCR_API_TOKEN_READ (reads).',
    })
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

export function setupSwagger(app: INestApplication, document: OpenAPIObject = buildOpenApiDocument(app)): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
