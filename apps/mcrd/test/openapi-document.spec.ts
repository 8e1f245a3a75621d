// The OpenAPI document says what the service does: which routes need the token, what export
// returns, the answers every write can give, and that request bodies refuse unknown fields.
import { renderOpenApi } from '../src/openapi/write-openapi';

interface Operation {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
  security: unknown[];
};

describe('the OpenAPI document', () => {
  let doc: Document;
  beforeAll(async () => {
    doc = JSON.parse(await renderOpenApi()) as Document;
  });
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );

  it('declares opaque bearer tokens (no bearerFormat: JWT)', () => {
    expect(doc.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      description: expect.stringContaining('MCR_API_TOKEN'),
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it.each(['/livez', '/readyz', '/healthz', '/healthz/active'])('%s needs no token', (path) => {
    expect(doc.paths[path].get.security).toEqual([]);
  });

  it('every /api route keeps the bearer requirement', () => {
    for (const { path, operation } of operations().filter((o) => o.path.startsWith('/api/'))) {
      expect([path, operation.security]).toEqual([path, undefined]);
    }
  });

  it('export returns the rules file object', () => {
    const ok = doc.paths['/api/v1/export'].get.responses['200'];
    expect(ok.content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/RulesFileDto' });
    expect(doc.components.schemas.RulesFileDto).toMatchObject({
      additionalProperties: false,
      required: ['rules'],
      properties: { rules: { type: 'array', items: { $ref: '#/components/schemas/CreateRelayDto' } } },
    });
  });

  it('import reads the rules file object as JSON, and text as JSON5 or plain text', () => {
    const content = doc.paths['/api/v1/import'].post.requestBody?.content ?? {};
    expect(Object.keys(content).sort()).toEqual(['application/json', 'application/json5', 'text/plain']);
    expect(content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RulesFileDto' });
  });

  it('every write declares 503, and every write with a body 415', () => {
    const writes = operations().filter((o) => ['post', 'put', 'delete'].includes(o.method));
    expect(writes.length).toBe(6);
    for (const { path, method, operation } of writes) {
      expect([path, method, '503' in operation.responses]).toEqual([path, method, true]);
      const has415 = '415' in operation.responses;
      expect([path, method, has415]).toEqual([path, method, operation.requestBody !== undefined]);
    }
  });

  it.each(['CreateRelayDto', 'ReplaceRelayDto', 'RelayInputDto', 'RelayOutputDto', 'SwitchoverDto', 'MaintenanceDto'])(
    '%s refuses unknown fields (additionalProperties: false)',
    (name) => {
      expect(doc.components.schemas[name].additionalProperties).toBe(false);
    },
  );
});
