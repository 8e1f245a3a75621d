// Builds the real mcrd application for controller tests: real modules and a real FileStore in a
// temp directory; only the engine and the host (its interface list, the diagnostics' facts) are fakes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/bootstrap';
import type { McrdConfig } from '../../src/config/config.types';
import type { HostFacts, HostQuery, HostSnapshot } from '../../src/diagnostics/host-facts';
import type { HostInterfaces } from '../../src/engine/host-interfaces';
import { Reconciler } from '../../src/reconciler/reconciler.service';
import { HOST_FACTS, HOST_INTERFACES, RELAY_ENGINE } from '../../src/tokens';
import { FakeEngine } from './fake-engine';

export class FakeHostInterfaces implements HostInterfaces {
  readonly names = new Set(['lo', 'eth0', 'eth1', 'eth2', 'wg0']);
  exists(name: string): boolean {
    return this.names.has(name);
  }
}

/** A host as the diagnostics see it: every interface up, no routes, no neighbours; tests edit it. */
export class FakeHostFacts implements HostFacts {
  snapshotValue: HostSnapshot = {
    links: new Map(['lo', 'eth0', 'eth1', 'eth2', 'wg0'].map((name) => [name, { up: true }])),
    routesBack: new Map(),
    routesVia: new Map(),
    neighbours: [],
    rpFilter: new Map(),
    reversePathFilterDrops: 0,
  };
  readonly queries: HostQuery[] = [];
  snapshot(query: HostQuery): Promise<HostSnapshot> {
    this.queries.push(query);
    return Promise.resolve(this.snapshotValue);
  }
}

export interface TestApp {
  app: NestExpressApplication;
  engine: FakeEngine;
  host: FakeHostInterfaces;
  hostFacts: FakeHostFacts;
  dir: string;
  storePath: string;
  close(): Promise<void>;
}

export function testConfig(dir: string, overrides: Partial<McrdConfig> = {}): McrdConfig {
  return {
    httpHost: '127.0.0.1',
    httpPort: 0,
    store: `file:${join(dir, 'relays.json')}`,
    etcdPrefix: '/mcr',
    cluster: 'default',
    nodeId: 'test-node',
    leaseTtlS: 3,
    onStoreLoss: 'standby',
    placement: 'node',
    logLevel: 'silent',
    logFormat: 'json',
    engine: { workers: 1, cpus: [], realtimePriority: 0, busyPollUs: 0, gro: false, datapath: 'socket' },
    querier: { interfaces: [], intervalS: 125 },
    seedRelays: [],
    ...overrides,
  };
}

export async function createTestApp(overrides: Partial<McrdConfig> = {}, engine = new FakeEngine()): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'mcrd-test-'));
  const host = new FakeHostInterfaces();
  const hostFacts = new FakeHostFacts();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(testConfig(dir, overrides))] })
    .overrideProvider(RELAY_ENGINE)
    .useValue(engine)
    .overrideProvider(HOST_INTERFACES)
    .useValue(host)
    .overrideProvider(HOST_FACTS)
    .useValue(hostFacts)
    .compile();
  const app = configureApp(
    moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false }),
  );
  await app.init();
  await waitFor(() => app.get(Reconciler).isReady);
  return {
    app,
    engine,
    host,
    hostFacts,
    dir,
    storePath: join(dir, 'relays.json'),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
