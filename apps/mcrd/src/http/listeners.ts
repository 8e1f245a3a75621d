// Where the API listens: TCP (MCR_HTTP_HOST:MCR_HTTP_PORT), a Unix socket (MCR_HTTP_SOCKET), or
// both. Both serve the same application, with the same limits, tokens and routes; the socket's
// server closes when Nest closes the TCP one (at shutdown).
import { createServer } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { McrdConfig } from '../config/config.types';
import { applyServerLimits } from './server-limits';
import { listenOnSocket } from './unix-socket';

export interface Listening {
  /** http://host:port when TCP is on. */
  tcpUrl?: string;
  socketPath?: string;
}

export async function listen(app: NestExpressApplication, config: McrdConfig): Promise<Listening> {
  const { httpPort, httpSocket } = config;
  if (httpPort === 'off') {
    if (httpSocket === undefined) throw new Error('MCR_HTTP_PORT is off and there is no MCR_HTTP_SOCKET');
    await app.init();
    await listenOnSocket(app.getHttpServer(), httpSocket);
    return { socketPath: httpSocket.path };
  }
  await app.listen(httpPort, config.httpHost);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : httpPort;
  const tcpUrl = `http://${urlHost(config.httpHost)}:${port}`;
  if (httpSocket === undefined) return { tcpUrl };
  const socketServer = createServer(app.getHttpAdapter().getInstance());
  applyServerLimits(socketServer);
  app.getHttpServer().once('close', () => socketServer.close());
  await listenOnSocket(socketServer, httpSocket);
  return { tcpUrl, socketPath: httpSocket.path };
}

/** An IPv6 literal goes in brackets in a URL. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
