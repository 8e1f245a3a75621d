// One etcd client per mcrd process, on a real etcd: the relay store and leadership (lease, leader
// key, member records, watches) share it, so etcd sees one watch stream from the node; closed last.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { createEtcdClient, type Etcd3 } from '@mcr/store';
import { startEtcd, type EtcdServer } from '../../../libs/store/test/etcd-server';
import { ClusterService } from '../src/cluster/cluster.service';
import { AppModule } from '../src/app.module';
import { ETCD_CLIENT, RELAY_ENGINE } from '../src/tokens';
import { FakeEngine } from './support/fake-engine';
import { createTestApp, testConfig, waitFor, type TestApp } from './support/test-app';

let etcd: EtcdServer;

beforeAll(async () => {
  etcd = await startEtcd();
}, 30_000);
afterAll(async () => {
  await etcd?.stop();
});

/** Watch streams open on the etcd server now (all clients together). */
async function watchStreams(): Promise<number> {
  const metrics = await (await fetch(`http://${etcd.endpoint}/metrics`)).text();
  const line = /^etcd_debugging_mvcc_watch_stream_total (\S+)$/m.exec(metrics);
  if (line === null) throw new Error('etcd /metrics has no etcd_debugging_mvcc_watch_stream_total');
  return Number(line[1]);
}

describe('the etcd client of an mcrd process', () => {
  let testApp: TestApp | undefined;
  afterEach(async () => {
    await testApp?.close();
    testApp = undefined;
  });

  it('is shared: the relay store and leadership watch etcd over one stream, and the node leads', async () => {
    const before = await watchStreams();
    testApp = await createTestApp({ store: `etcd://${etcd.endpoint}`, etcdPrefix: '/mcr-client-test', leaseTtlS: 2 });
    const cluster = testApp.app.get(ClusterService);
    await waitFor(() => cluster.role === 'active');
    expect(cluster.describe().leader).toBe('test-node');
    expect(await watchStreams()).toBe(before + 1);
  });

  it('is closed when the application closes, after the node gave up its lease', async () => {
    testApp = await createTestApp({ store: `etcd://${etcd.endpoint}`, etcdPrefix: '/mcr-client-test-2', leaseTtlS: 2 });
    const cluster = testApp.app.get(ClusterService);
    await waitFor(() => cluster.role === 'active');
    const client = testApp.app.get<Etcd3>(ETCD_CLIENT);
    await testApp.close();
    testApp = undefined;
    await expect(client.get('/mcr-client-test-2/default/leader').string()).rejects.toThrow(/closed/);
  });

  it('is closed when the store cannot open and start-up stops', async () => {
    const url = 'etcd://127.0.0.1:1'; // nothing listens there
    const client = createEtcdClient({ url, callTimeoutMs: 300 });
    const dir = mkdtempSync(join(tmpdir(), 'mcrd-etcd-client-'));
    try {
      const starting = Test.createTestingModule({ imports: [AppModule.forRoot(testConfig(dir, { store: url }))] })
        .overrideProvider(ETCD_CLIENT)
        .useValue(client)
        .overrideProvider(RELAY_ENGINE)
        .useValue(new FakeEngine())
        .compile();
      // A closed client would answer calls with "already closed", but its open circuit breaker answers first.
      const close = jest.spyOn(client, 'close');
      await expect(starting).rejects.toThrow(`etcd store ${url} is unavailable (open)`);
      expect(close).toHaveBeenCalledTimes(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is null with a file store: a node alone talks to no etcd', async () => {
    testApp = await createTestApp();
    expect(testApp.app.get(ETCD_CLIENT)).toBeNull();
  });
});
