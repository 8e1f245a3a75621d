// MCR's engine driven directly through @mcr/engine, without the service around it.
// usage: node mcr-engine-relay.js CONFIG.json READY_FILE
import { renameSync, writeFileSync } from 'node:fs';
import { Engine, type EngineRelaySpec } from '@mcr/engine';
import type { Route } from '../relays/relay';
import { readProgramConfig, readyPayload, type RelayProgramConfig } from './routes-file';

/** A bench route as the engine's relay spec: ingresses on the input leg, outputs on the output leg. */
function engineSpec(route: Route, config: RelayProgramConfig): EngineRelaySpec {
  const ingress = (endpoint: Route['input']) => ({ interface: config.inputInterface, ...endpoint });
  const spec: EngineRelaySpec = {
    name: route.name,
    input: ingress(route.input),
    outputs: route.outputs.map((output) => ({
      interface: config.outputInterface,
      group: output.group,
      port: output.port,
      ttl: config.ttl,
    })),
  };
  if (route.redundancy) spec.redundancy = { ...route.redundancy, input: ingress(route.redundancy.input) };
  if (route.analyze) spec.analyze = route.analyze;
  return spec;
}

function main(): void {
  const [configFile, readyFile] = process.argv.slice(2);
  if (!configFile || !readyFile) throw new Error('usage: mcr-engine-relay.js CONFIG.json READY_FILE');
  const config = readProgramConfig(configFile);
  const engine = new Engine({ socketBufferBytes: config.socketBufferBytes });
  for (const route of config.routes) engine.addRelay(engineSpec(route, config));
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
