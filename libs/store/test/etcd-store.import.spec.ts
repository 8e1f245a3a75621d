// Imports larger than one etcd transaction (etcd's --max-txn-ops is 128 by default), on a real
// etcd with default limits: all-or-nothing up to the documented maximum, seen whole by every
// reader, finished by the next write when the importer died half-way, and etcd's refusals are
// StoreUnavailableError (HTTP 503), never a bare error.
import type { RelaySpec } from '@mcr/model';
import { ETCD_IMPORT_MAX_BYTES, encodeImport, ImportTooLargeError } from '../src/etcd-import';
import { createEtcdClient } from '../src/etcd-connection';
import { EtcdStore } from '../src/etcd-store';
import { RelayConflictError, StoreUnavailableError, type RelayChange } from '../src/relay-store';
import { RelayTable } from '../src/relay-table';
import { startEtcd, type EtcdServer } from './etcd-server';
import { relaySpec } from './relay-store.contract';

const LARGE_IMPORT = 2_000;

// Thousands of relays through a real etcd on a busy 2-core host: seconds, not milliseconds.
jest.setTimeout(60_000);

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

async function openStores(count: number, endpoint = etcd.endpoint): Promise<EtcdStore[]> {
  const cluster = `import-${++clusters}`;
  const stores: EtcdStore[] = [];
  for (let i = 0; i < count; i++) {
    const store = new EtcdStore({ url: `etcd://${endpoint}`, prefix: '/mcr-test', cluster });
    await store.open();
    open.push(store);
    stores.push(store);
  }
  return stores;
}

function specs(count: number, first = 1): RelaySpec[] {
  return Array.from({ length: count }, (_, i) => relaySpec(first + i));
}

/** A second node of `store`'s cluster. */
async function openPeer(store: EtcdStore): Promise<EtcdStore> {
  const peer = new EtcdStore({ url: store.url, prefix: '/mcr-test', cluster: store.keys.root.split('/').pop() });
  await peer.open();
  open.push(peer);
  return peer;
}

async function keyCount(prefix: string): Promise<number> {
  const keys = await etcd.etcdctl('get', '--prefix', '--keys-only', prefix);
  return keys.split('\n').filter((line) => line.startsWith(prefix)).length;
}

async function waitFor(changes: RelayChange[], count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (changes.length < count) {
    if (Date.now() > deadline) throw new Error(`watch delivered ${changes.length} changes, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('EtcdStore import larger than one etcd transaction', () => {
  it(`imports ${LARGE_IMPORT} relays at once; another node lists them all and its watch gets each once`, async () => {
    const [importer, peer] = await openStores(2);
    const seen: RelayChange[] = [];
    peer.watch((await peer.list()).revision, (change) => seen.push(change));
    const created = await importer.apply({ create: specs(LARGE_IMPORT), replace: [], delete: [] });
    expect(created).toHaveLength(LARGE_IMPORT);
    const listed = await peer.list();
    expect(listed.relays.map((relay) => relay.name).sort()).toEqual(created.map((relay) => relay.name).sort());
    expect(await peer.get(created[LARGE_IMPORT - 1].id)).toEqual(created[LARGE_IMPORT - 1]);
    await waitFor(seen, LARGE_IMPORT);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the copy must not be delivered again
    expect(seen).toHaveLength(LARGE_IMPORT);
    expect(new Set(seen.map((change) => change.revision)).size).toBe(1); // one import, one revision
    expect(await keyCount(importer.keys.relays)).toBe(LARGE_IMPORT);
    expect(await keyCount(importer.keys.relaysImport)).toBe(0);
  });

  it('replaces and deletes in a large import too, and a later write works on the result', async () => {
    const [store] = await openStores(1);
    const first = await store.apply({ create: specs(300), replace: [], delete: [] });
    const second = await store.apply({
      create: specs(300, 1_000),
      replace: first.slice(0, 100).map((relay) => ({ id: relay.id, spec: relaySpec(5_000 + relay.input.port) })),
      delete: first.slice(100).map((relay) => relay.id),
    });
    expect(second).toHaveLength(400);
    await store.create(relaySpec(9_000));
    expect((await store.list()).relays).toHaveLength(401);
  });

  it('changes nothing when one relay of a large import conflicts', async () => {
    const [store] = await openStores(1);
    await store.create(relaySpec(1, { name: 'taken' }));
    const batch = [...specs(500, 10), relaySpec(2, { name: 'taken' })];
    await expect(store.apply({ create: batch, replace: [], delete: [] })).rejects.toBeInstanceOf(RelayConflictError);
    expect((await store.list()).relays).toHaveLength(1);
  });

  it('refuses an import above the documented maximum before writing anything, saying how to proceed', async () => {
    const [store] = await openStores(1);
    const batch = specs(6_000);
    const refused = await store.apply({ create: batch, replace: [], delete: [] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ImportTooLargeError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `the import \\(6000 relays, \\d+ bytes of relay JSON\\) is larger .*\\(${ETCD_IMPORT_MAX_BYTES} bytes`,
      ),
    );
    expect((refused as Error).message).toContain('import it in parts');
    expect((await store.list()).relays).toHaveLength(0);
  });

  it('shows a committed import whole although its copy never ran, and the next write finishes it', async () => {
    const [store] = await openStores(1);
    const kept = await store.create(relaySpec(1));
    // What an importer killed right after its commit leaves: the journal, and no relay keys yet.
    const draft = RelayTable.of([kept]);
    const puts = specs(200, 100).map((spec, i) => draft.create(spec, `imported-${i}`, 0));
    const client = createEtcdClient({ url: store.url });
    try {
      await client.kv.txn({
        success: [
          { request_put: { key: Buffer.from(store.keys.relaysImport), value: encodeImport(puts, [kept.id]) } },
          { request_put: { key: Buffer.from(store.keys.relaysGuard), value: Buffer.from('') } },
        ],
      });
    } finally {
      client.close();
    }
    const peer = await openPeer(store);
    expect((await peer.list()).relays).toHaveLength(200);
    expect(await peer.get(kept.id)).toBeUndefined();
    expect((await peer.get('imported-7'))?.name).toBe(puts[7].name);
    await store.create(relaySpec(9_000)); // its cached table is stale: it re-reads and finishes the copy
    expect(await keyCount(store.keys.relaysImport)).toBe(0);
    expect(await keyCount(store.keys.relays)).toBe(201);
    expect((await peer.list()).relays).toHaveLength(201);
  });
});

describe('EtcdStore when etcd refuses a request', () => {
  it('answers StoreUnavailableError naming the store and etcd’s reason', async () => {
    const strict = await startEtcd(['--max-txn-ops=16']);
    try {
      const [store] = await openStores(1, strict.endpoint);
      const refused = await store
        .apply({ create: specs(20), replace: [], delete: [] })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect((refused as Error).message).toContain(`etcd store etcd://${strict.endpoint} failed the request (write)`);
      expect((refused as Error).message).toContain('too many operations in txn request');
      await store.close();
    } finally {
      await strict.stop();
    }
  });
});
