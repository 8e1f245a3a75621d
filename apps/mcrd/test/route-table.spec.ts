// RouteTable: the methods and body media types of each documented path, read from the document.
import type { OpenAPIObject } from '@nestjs/swagger';
import { RouteTable } from '../src/http/route-table';

const json = { content: { 'application/json': { schema: {} } } };
const document = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/api/v1/relays': { get: { responses: {} }, post: { requestBody: json, responses: {} } },
    '/api/v1/relays/{id}': { get: { responses: {} }, delete: { responses: {} } },
    '/api/v1/relays/{id}/stats': { get: { responses: {} } },
  },
} as OpenAPIObject;

describe('RouteTable', () => {
  const table = new RouteTable(document);

  it('lists the documented methods, HEAD wherever GET is', () => {
    expect(table.match('/api/v1/relays')?.allowed).toEqual(['GET', 'POST', 'HEAD']);
    expect(table.match('/api/v1/relays/abc')?.allowed).toEqual(['GET', 'DELETE', 'HEAD']);
    expect(table.match('/api/v1/relays/abc/stats')?.allowed).toEqual(['GET', 'HEAD']);
  });

  it('matches a parameter as one path segment, a trailing slash and any case, as express routes', () => {
    expect(table.match('/api/v1/relays/')).toBeDefined();
    expect(table.match('/API/v1/Relays')).toBeDefined();
    expect(table.match('/api/v1/relays/a/b')).toBeUndefined();
    expect(table.match('/api/v1/other')).toBeUndefined();
  });

  it('gives the media types a body may have, undefined for operations without a body', () => {
    expect(table.match('/api/v1/relays')?.bodyTypes('POST')).toEqual(['application/json']);
    expect(table.match('/api/v1/relays')?.bodyTypes('GET')).toBeUndefined();
  });
});
