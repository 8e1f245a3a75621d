// Creates relays in mcrd over its REST API from inside the relay namespace (where mcrd listens
// on loopback), then waits until mcrd reports every one of them as forwarding.
// usage: node mcrd-client.js BASE_URL CONFIG.json
import { readProgramConfig, type RelayProgramConfig } from './routes-file';

const READY_TIMEOUT_MS = 60000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForReady(base: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base}/readyz did not answer 200 within ${READY_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

async function createRelays(base: string, config: RelayProgramConfig): Promise<void> {
  for (const route of config.routes) {
    const body = {
      name: route.name,
      input: { interface: config.inputInterface, group: route.input.group, port: route.input.port },
      outputs: route.outputs.map((o) => ({
        interface: config.outputInterface,
        group: o.group,
        port: o.port,
        ttl: config.ttl,
      })),
    };
    const response = await fetch(`${base}/api/v1/relays`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) {
      throw new Error(`POST /api/v1/relays for ${route.name} answered ${response.status}: ${await response.text()}`);
    }
  }
}

interface StatsBody {
  relays: Array<{ name: string; state: string; reason?: string }>;
}

async function waitForwarding(base: string, expected: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const stats = (await (await fetch(`${base}/api/v1/stats`)).json()) as StatsBody;
    const failed = stats.relays.find((relay) => relay.state === 'failed');
    if (failed) throw new Error(`mcrd failed relay ${failed.name}: ${failed.reason ?? 'no reason given'}`);
    const forwarding = stats.relays.filter((relay) => relay.state === 'forwarding').length;
    if (forwarding >= expected) return;
    if (Date.now() > deadline)
      throw new Error(`only ${forwarding} of ${expected} relays forwarding after ${READY_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const [base, configFile] = process.argv.slice(2);
  if (!base || !configFile) throw new Error('usage: mcrd-client.js BASE_URL CONFIG.json');
  const config = readProgramConfig(configFile);
  await waitForReady(base);
  await createRelays(base, config);
  await waitForwarding(base, config.routes.length);
}

main().catch((error: unknown) => {
  process.stderr.write(`mcrd-client: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
