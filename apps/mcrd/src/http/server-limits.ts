// Limits of the HTTP server itself, so slow or idle clients cannot hold the service's sockets
// (and file descriptors, which relays need too) for ever. Documented in apps/mcrd/README.md.
import type { Server } from 'node:http';

export const HTTP_LIMITS = {
  /** Whole request, headers and body, from the first byte (Node's own default is 300 s). */
  requestTimeoutMs: 30_000,
  /** Headers must be complete this soon (slowloris); Node checks it every connectionsCheckingInterval. */
  headersTimeoutMs: 10_000,
  /** An idle keep-alive connection is closed after this; longer than most clients' pool idle time. */
  keepAliveTimeoutMs: 5_000,
  /** Requests served on one keep-alive connection before it is closed (0 = Node's no limit). */
  maxRequestsPerSocket: 1_000,
  /** Connections open at once; Node closes further ones as soon as they are accepted ('drop'). */
  maxConnections: 256,
} as const;

export function applyServerLimits(server: Server): void {
  server.requestTimeout = HTTP_LIMITS.requestTimeoutMs;
  server.headersTimeout = HTTP_LIMITS.headersTimeoutMs;
  server.keepAliveTimeout = HTTP_LIMITS.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = HTTP_LIMITS.maxRequestsPerSocket;
  server.maxConnections = HTTP_LIMITS.maxConnections;
}
