// The HTTP server's time and connection limits are set on the server the service listens with.
import { createServer } from 'node:http';
import { applyServerLimits, HTTP_LIMITS } from '../src/http/server-limits';
import { createTestApp } from './support/test-app';

describe('HTTP server limits', () => {
  it('sets request, header and keep-alive timeouts and a connection limit', () => {
    const server = createServer();
    applyServerLimits(server);
    expect(server.requestTimeout).toBe(HTTP_LIMITS.requestTimeoutMs);
    expect(server.headersTimeout).toBe(HTTP_LIMITS.headersTimeoutMs);
    expect(server.keepAliveTimeout).toBe(HTTP_LIMITS.keepAliveTimeoutMs);
    expect(server.maxRequestsPerSocket).toBe(HTTP_LIMITS.maxRequestsPerSocket);
    expect(server.maxConnections).toBe(HTTP_LIMITS.maxConnections);
  });

  it('keeps the header deadline inside the request deadline', () => {
    expect(HTTP_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(HTTP_LIMITS.requestTimeoutMs);
  });

  it('the service applies them to its own server', async () => {
    const t = await createTestApp();
    try {
      const server = t.app.getHttpServer();
      expect(server.headersTimeout).toBe(HTTP_LIMITS.headersTimeoutMs);
      expect(server.requestTimeout).toBe(HTTP_LIMITS.requestTimeoutMs);
      expect(server.maxConnections).toBe(HTTP_LIMITS.maxConnections);
    } finally {
      await t.close();
    }
  });
});
