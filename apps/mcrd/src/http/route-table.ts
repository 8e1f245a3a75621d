// The service's routes as its own OpenAPI document declares them: which methods each path
// answers and which media types each request body accepts. The 405 and 415 answers read this
// table, so the document and the service cannot disagree about either.
import type { OpenAPIObject, PathItemObject } from '@nestjs/swagger';

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface RouteMatch {
  /** Methods the path answers, HEAD included wherever GET is (express serves it). */
  allowed: string[];
  /** Media types the body of `method` may have; undefined when the operation takes no body. */
  bodyTypes(method: string): string[] | undefined;
}

interface Route {
  pattern: RegExp;
  operations: Map<string, string[] | undefined>;
}

export class RouteTable {
  private readonly routes: Route[];

  constructor(document: OpenAPIObject) {
    this.routes = Object.entries(document.paths).map(([path, item]) => ({
      pattern: pathPattern(path),
      operations: operationsOf(item),
    }));
  }

  /** The documented route of `path` (express's req.path), or undefined for paths it does not declare. */
  match(path: string): RouteMatch | undefined {
    const route = this.routes.find((candidate) => candidate.pattern.test(path));
    if (route === undefined) return undefined;
    const allowed = [...route.operations.keys()];
    if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
    return { allowed, bodyTypes: (method) => route.operations.get(method) };
  }
}

/** `/api/v1/relays/{id}` -> one path segment per parameter; case and a trailing slash as express routes them. */
function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`, 'i');
}

function operationsOf(item: PathItemObject): Map<string, string[] | undefined> {
  const operations = new Map<string, string[] | undefined>();
  for (const key of OPERATION_KEYS) {
    const operation = item[key];
    if (operation === undefined) continue;
    const body = operation.requestBody;
    const content = body !== undefined && 'content' in body ? body.content : undefined;
    operations.set(key.toUpperCase(), content === undefined ? undefined : Object.keys(content));
  }
  return operations;
}
