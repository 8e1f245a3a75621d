// A plain Node.js dgram relay: what one would write without a native engine. One socket per
// ingress, one shared output socket, one send() per datagram per output on the JS thread.
// usage: node node-relay.js CONFIG.json READY_FILE
import dgram from 'node:dgram';
import { renameSync, writeFileSync } from 'node:fs';
import { readProgramConfig, readyPayload, type RelayProgramConfig } from './routes-file';

function openOutput(config: RelayProgramConfig): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: config.socketBufferBytes });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: config.outputAddress, port: 0 }, () => {
      socket.setMulticastInterface(config.outputAddress);
      socket.setMulticastTTL(config.ttl);
      socket.setMulticastLoopback(false);
      resolve(socket);
    });
  });
}

function openIngress(config: RelayProgramConfig, index: number, output: dgram.Socket): Promise<dgram.Socket> {
  const route = config.routes[index];
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: config.socketBufferBytes });
  socket.on('message', (payload) => {
    for (const target of route.outputs) output.send(payload, target.port, target.group);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    // Bound to the group, so same-port relays on other groups never see each other's datagrams.
    socket.bind({ address: route.input.group, port: route.input.port }, () => {
      socket.addMembership(route.input.group, config.inputAddress);
      resolve(socket);
    });
  });
}

async function main(): Promise<void> {
  const [configFile, readyFile] = process.argv.slice(2);
  if (!configFile || !readyFile) throw new Error('usage: node-relay.js CONFIG.json READY_FILE');
  const config = readProgramConfig(configFile);
  const output = await openOutput(config);
  const ingresses: dgram.Socket[] = [];
  for (let i = 0; i < config.routes.length; i += 1) ingresses.push(await openIngress(config, i, output));
  writeFileSync(`${readyFile}.tmp`, readyPayload());
  renameSync(`${readyFile}.tmp`, readyFile);
  const shutdown = (): void => {
    for (const socket of ingresses) socket.close();
    output.close();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`node-relay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
