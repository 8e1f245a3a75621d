// The HTTP server's time and connection limits are set on the server the service listens with.
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { applyServerLimits, HTTP_LIMITS } from '../src/http/server-limits';
import { createTestApp, waitFor } from './support/test-app';

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

  it('closes the connections past the limit at once and keeps the ones within it', async () => {
    const t = await createTestApp();
    const sockets: Socket[] = [];
    try {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const extra = 20;
      const closed = new Set<number>();
      for (let i = 0; i < HTTP_LIMITS.maxConnections + extra; i += 1) {
        const socket = connect(port, '127.0.0.1');
        socket.on('close', () => closed.add(i));
        socket.on('error', () => undefined);
        sockets.push(socket);
        await new Promise((resolve) => socket.once('connect', resolve));
      }
      await waitFor(() => closed.size >= extra);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(closed.size).toBe(extra);
      expect([...closed].every((i) => i >= HTTP_LIMITS.maxConnections)).toBe(true);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await t.close();
    }
  });
});
