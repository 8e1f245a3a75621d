// MCR's engine driven directly through @mcr/engine, without the service around it, on the datapath
// the config names. With `ebpf` every relay must really run on it: a relay the engine put on
// sockets (with its reason) would measure the socket path under the eBPF label, so that fails.
// usage: node mcr-engine-relay.js CONFIG.json READY_FILE
import { renameSync, writeFileSync } from 'node:fs';
import { Engine, type EngineRelaySpec } from '@mcr/engine';
import type { Route } from '../relays/relay';
import { readProgramConfig, readyPayload, type RelayProgramConfig } from './routes-file';

function checkDatapath(engine: Engine, wanted: RelayProgramConfig['datapath']): void {
  if (wanted === undefined) return;
  const elsewhere = engine.stats().filter((relay) => relay.datapath !== wanted);
  if (elsewhere.length === 0) return;
  const why = elsewhere
    .slice(0, 3)
    .map(
      (relay) => `${relay.name} runs on ${relay.datapath}${relay.datapathReason ? `: ${relay.datapathReason}` : ''}`,
    );
  throw new Error(`${elsewhere.length} relay(s) not on the ${wanted} datapath: ${why.join('; ')}`);
}

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
  const engine = new Engine({
    socketBufferBytes: config.socketBufferBytes,
    ...(config.datapath ? { datapath: config.datapath } : {}),
  });
  for (const route of config.routes) engine.addRelay(engineSpec(route, config));
  checkDatapath(engine, config.datapath);
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
