// A scripted HTTP service on loopback for testing runCli end to end without mcrd: each route
// answers what the test says, and every request is recorded for assertions.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  text?: string;
}

export type Route = (request: RecordedRequest) => Reply;

export class FakeService {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private server?: Server;

  /** `key` is "METHOD /path?query"; an unrouted request gets 404 in the API's error shape. */
  on(key: string, route: Route | Reply): this {
    this.routes.set(key, typeof route === 'function' ? route : () => route);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        };
        this.requests.push(request);
        const route = this.routes.get(`${request.method} ${request.url}`);
        const reply = route
          ? route(request)
          : { status: 404, body: { statusCode: 404, error: 'Not Found', message: `no route ${request.url}` } };
        if (reply.text !== undefined) {
          res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.text);
        } else if (reply.body === undefined) {
          res.writeHead(reply.status).end();
        } else {
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
