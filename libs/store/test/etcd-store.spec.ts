// EtcdStore beyond the shared contract, on a real etcd: two stores (two nodes) writing at once,
// watches that survive a cut connection and a compaction, bounded failure when etcd is gone.
import type { RelayChange } from '../src/relay-store';
import { RelayConflictError, RevisionMismatchError, StoreUnavailableError } from '../src/relay-store';
import { createEtcdClient } from '../src/etcd-connection';
import { EtcdStore } from '../src/etcd-store';
import { createStoreFromUrl } from '../src/store-url';
import { startProxy } from './etcd-proxy';
import { freePort, startEtcd, type EtcdServer } from './etcd-server';
import { relaySpec } from './relay-store.contract';

let etcd: EtcdServer;
let clusters = 0;
const open: EtcdStore[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await etcd?.stop();
});

async function openStore(endpoint: string, cluster: string): Promise<EtcdStore> {
  const store = new EtcdStore({ url: `etcd://${endpoint}`, prefix: '/mcr-test', cluster });
  await store.open();
  open.push(store);
  return store;
}

async function openStores(count: number, endpoint = etcd.endpoint): Promise<EtcdStore[]> {
  const cluster = `node-${++clusters}`;
  const stores: EtcdStore[] = [];
  for (let i = 0; i < count; i++) stores.push(await openStore(endpoint, cluster));
  return stores;
}

/** A second store of `watching`'s cluster that talks to etcd directly (not through the proxy). */
function openDirectPeer(watching: EtcdStore): Promise<EtcdStore> {
  return openStore(etcd.endpoint, watching.keys.root.split('/').pop() ?? '');
}

function record(
  store: EtcdStore,
  from: number,
): { changes: RelayChange[]; waitFor(count: number): Promise<RelayChange[]> } {
  const changes: RelayChange[] = [];
  store.watch(from, (change) => changes.push(change));
  return {
    changes,
    async waitFor(count) {
      const deadline = Date.now() + 10_000;
      while (changes.length < count) {
        if (Date.now() > deadline) throw new Error(`watch delivered ${changes.length} changes, expected ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return changes;
    },
  };
}

describe('EtcdStore shared by two nodes', () => {
  it('a change written through one store reaches the other store’s watch', async () => {
    const [a, b] = await openStores(2);
    const watched = record(b, (await b.list()).revision);
    const relay = await a.create(relaySpec(1));
    await a.delete(relay.id);
    expect(await watched.waitFor(2)).toEqual([
      { type: 'put', relay, revision: relay.revision },
      { type: 'delete', id: relay.id, revision: expect.any(Number) },
    ]);
  });

  it('two replaces with the same expected revision through two stores: exactly one wins', async () => {
    const [a, b] = await openStores(2);
    const relay = await a.create(relaySpec(1));
    await b.list();
    const outcomes = await Promise.allSettled([
      a.replace(relay.id, relaySpec(1, { name: 'from-a' }), relay.revision),
      b.replace(relay.id, relaySpec(1, { name: 'from-b' }), relay.revision),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(RevisionMismatchError);
    expect((await a.get(relay.id))?.name).toBe((won[0] as PromiseFulfilledResult<{ name: string }>).value.name);
  });

  it('two creates with one name through two stores: one 409, never two relays (stale cache re-read)', async () => {
    const [a, b] = await openStores(2);
    await a.create(relaySpec(1));
    await b.create(relaySpec(2)); // b's cached table no longer matches a's
    const outcomes = await Promise.allSettled([
      a.create(relaySpec(3, { name: 'same' })),
      b.create(relaySpec(4, { name: 'same' })),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(RelayConflictError);
    expect((await a.list()).relays.map((r) => r.name).sort()).toEqual(['feed-1', 'feed-2', 'same']);
  });

  it('a write costs one etcd round trip when nobody else wrote, two after a foreign write', async () => {
    const [a, b] = await openStores(2);
    await a.create(relaySpec(1));
    const before = a.roundTrips;
    await a.create(relaySpec(2));
    expect(a.roundTrips - before).toBe(1);
    await b.create(relaySpec(3));
    const beforeForeign = a.roundTrips;
    await a.create(relaySpec(4));
    expect(a.roundTrips - beforeForeign).toBe(3); // failed guard, re-read, commit
  });
});

describe('EtcdStore on a client shared with the rest of the process', () => {
  it('uses that client and leaves it open when the store closes (its owner closes it)', async () => {
    const client = createEtcdClient({ url: `etcd://${etcd.endpoint}` });
    try {
      const store = new EtcdStore({
        url: `etcd://${etcd.endpoint}`,
        prefix: '/mcr-test',
        cluster: `shared-${++clusters}`,
        client,
      });
      await store.open();
      const relay = await store.create(relaySpec(1, { name: 'shared' }));
      await store.close();
      const written = await client.get(store.keys.relay(relay.id)).string();
      expect(JSON.parse(written ?? 'null')).toMatchObject({ name: 'shared' });
    } finally {
      client.close();
    }
  });
});

describe('EtcdStore watch across a lost connection', () => {
  it('resumes from the last delivered revision: every change exactly once', async () => {
    const proxy = await startProxy(etcd.endpoint);
    try {
      const [watching] = await openStores(1, proxy.endpoint);
      const writer = await openDirectPeer(watching);
      const watched = record(watching, (await watching.list()).revision);
      const first = await writer.create(relaySpec(1));
      await watched.waitFor(1);
      proxy.cut();
      const written = [await writer.create(relaySpec(2)), await writer.create(relaySpec(3))];
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.heal();
      const changes = await watched.waitFor(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(changes.map((change) => change.revision)).toEqual([first, ...written].map((relay) => relay.revision));
    } finally {
      await proxy.close();
    }
  });

  it('after a compaction past its revision, re-lists and delivers what changed (puts and deletes)', async () => {
    const proxy = await startProxy(etcd.endpoint);
    try {
      const [watching] = await openStores(1, proxy.endpoint);
      const writer = await openDirectPeer(watching);
      const gone = await writer.create(relaySpec(1));
      const watched = record(watching, (await watching.list()).revision);
      await new Promise((resolve) => setTimeout(resolve, 200));
      proxy.cut();
      await writer.delete(gone.id);
      const added = await writer.create(relaySpec(2));
      await etcd.etcdctl('compact', String(added.revision));
      proxy.heal();
      const changes = await watched.waitFor(2);
      expect(changes).toEqual([
        { type: 'delete', id: gone.id, revision: expect.any(Number) },
        { type: 'put', relay: added, revision: expect.any(Number) },
      ]);
      expect(changes[0].revision).toBeGreaterThanOrEqual(added.revision);
    } finally {
      await proxy.close();
    }
  });
});

describe('EtcdStore without etcd', () => {
  it('open fails within a few seconds, naming the store', async () => {
    const url = `etcd://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const error = await new EtcdStore({ url, callTimeoutMs: 500 }).open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain(url);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('writes answer StoreUnavailableError within a few seconds once etcd is unreachable', async () => {
    const proxy = await startProxy(etcd.endpoint);
    try {
      const [store] = await openStores(1, proxy.endpoint);
      proxy.cut();
      const started = Date.now();
      await expect(store.create(relaySpec(1))).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.list()).rejects.toThrow(`etcd store etcd://${proxy.endpoint} is unavailable`);
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await proxy.close();
    }
  });
});

describe('createStoreFromUrl with etcd URLs', () => {
  it('gives an EtcdStore with the prefix and cluster of the options', () => {
    const store = createStoreFromUrl('etcd://10.0.0.1:2379,10.0.0.2:2379', { etcd: { prefix: '/x', cluster: 'c1' } });
    expect(store).toBeInstanceOf(EtcdStore);
    expect((store as EtcdStore).keys.relay('r1')).toBe('/x/c1/relays/r1');
  });

  it.each([
    ['etcd://10.0.0.1', "endpoint '10.0.0.1' is not host:port"],
    ['etcd://a:1,,b:2', "endpoint '' is not host:port"],
  ])('rejects %s', (url, message) => {
    expect(() => createStoreFromUrl(url)).toThrow(message);
  });

  it('refuses TLS files with a plain etcd:// URL, naming the variables', async () => {
    const store = new EtcdStore({ url: 'etcd://127.0.0.1:1', ca: '/nonexistent.pem' });
    await expect(store.open()).rejects.toThrow('MCR_ETCD_CA/CERT/KEY need an etcds:// URL');
  });
});
