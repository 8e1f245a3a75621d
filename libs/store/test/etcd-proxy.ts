// A TCP proxy between a store and etcd that a test can cut (every connection reset, new ones
// refused) and heal, to show the store's watch resumes without missing a change.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './etcd-server';

export interface CuttableLink {
  endpoint: string;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<CuttableLink> {
  const [host, port] = target.split(':');
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(Number(port), host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listenPort = await freePort();
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const resetAll = (): void => {
    for (const socket of sockets) socket.resetAndDestroy();
  };
  return {
    endpoint: `127.0.0.1:${listenPort}`,
    cut: () => {
      open = false;
      resetAll();
    },
    heal: () => (open = true),
    close: async () => {
      resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
