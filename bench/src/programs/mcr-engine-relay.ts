// MCR's engine driven directly through @mcr/engine, without the service around it.
// usage: node mcr-engine-relay.js CONFIG.json READY_FILE
import { renameSync, writeFileSync } from 'node:fs';
import { Engine } from '@mcr/engine';
import { readProgramConfig, readyPayload } from './routes-file';

function main(): void {
  const [configFile, readyFile] = process.argv.slice(2);
  if (!configFile || !readyFile) throw new Error('usage: mcr-engine-relay.js CONFIG.json READY_FILE');
  const config = readProgramConfig(configFile);
  const engine = new Engine({ socketBufferBytes: config.socketBufferBytes });
  for (const route of config.routes) {
    engine.addRelay({
      name: route.name,
      input: { interface: config.inputInterface, group: route.input.group, port: route.input.port },
      outputs: route.outputs.map((output) => ({
        interface: config.outputInterface,
        group: output.group,
        port: output.port,
        ttl: config.ttl,
      })),
    });
  }
  writeFileSync(`${readyFile}.tmp`, readyPayload());
  renameSync(`${readyFile}.tmp`, readyFile);
  const shutdown = (): void => engine.close();
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

try {
  main();
} catch (error: unknown) {
  process.stderr.write(`mcr-engine-relay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
