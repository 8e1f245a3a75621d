// Import and PATCH with the etcd store, on a real etcd: a re-imported relay keeps its id, a dry
// run leaves every etcd key as it was (values and revisions), and a PATCH is one etcd write.
import request from 'supertest';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdServer } from '../../../libs/store/test/etcd-server';
import { createTestApp, type TestApp } from './support/test-app';

const RULES = `{ rules: [
  { name: 'feed-a', input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
    outputs: [ { interface: 'eth1', group: '239.2.2.2', port: 6000 } ] },
  { name: 'feed-b', input: { interface: 'eth0', group: '239.1.1.2', port: 5000 },
    outputs: [ { interface: 'eth1', group: '239.2.2.3', port: 6000 } ] },
] }`;
const CHANGED = RULES.replace('port: 6000 } ] },\n  { name', 'port: 6001 } ] },\n  { name');

let etcd: EtcdServer;
let client: Etcd3;
let t: TestApp;
let prefix: string;
let testNumber = 0;
const http = () => request(t.app.getHttpServer());

/**
 * Every relay key (relays, the write guard, an import journal) with its value and mod revision;
 * the HA keys (leader, members) are left out: the node writes them on its own schedule.
 */
async function etcdContents(): Promise<Record<string, string>> {
  const response = await client.getAll().prefix(`${prefix}/default/relays`).exec();
  return Object.fromEntries(response.kvs.map((kv) => [kv.key.toString(), `${kv.mod_revision} ${kv.value.toString()}`]));
}

function importRules(text: string, query = '') {
  return http().post(`/api/v1/import${query}`).set('Content-Type', 'application/json5').send(text);
}

beforeAll(async () => {
  etcd = await startEtcd();
  client = new Etcd3({ hosts: `http://${etcd.endpoint}` });
}, 30_000);
afterAll(async () => {
  client?.close();
  await etcd?.stop();
});
beforeEach(async () => {
  testNumber += 1;
  prefix = `/mcr-transfer-${testNumber}`;
  t = await createTestApp({ store: `etcd://${etcd.endpoint}`, etcdPrefix: prefix, leaseTtlS: 2 });
});
afterEach(async () => {
  await t.close();
});

describe('import and PATCH on the etcd store', () => {
  it('a re-imported relay keeps its id; the changed one is replaced, the other unchanged', async () => {
    const first = (await importRules(RULES).expect(201)).body as { created: { id: string; name: string }[] };
    const second = await importRules(CHANGED, '?mode=replace').expect(200);
    expect(second.body).toMatchObject({
      created: [],
      deleted: [],
      replaced: [{ id: first.created[0].id, name: 'feed-a', changes: ['outputs[0].port: 6000 -> 6001'] }],
      unchanged: [{ id: first.created[1].id, name: 'feed-b' }],
    });
    const relays = (await http().get('/api/v1/relays').expect(200)).body as {
      id: string;
      outputs: { port: number }[];
    }[];
    expect(relays.map((r) => r.id).sort()).toEqual(first.created.map((r) => r.id).sort());
  });

  it('a dry run answers the plan and leaves every etcd key as it was', async () => {
    await importRules(RULES).expect(201);
    const before = await etcdContents();
    expect(Object.keys(before).length).toBeGreaterThan(0);
    const plan = await importRules(CHANGED.replace("'feed-b'", "'feed-c'"), '?mode=replace&dryRun=true').expect(200);
    expect(plan.body).toMatchObject({
      dryRun: true,
      created: [{ name: 'feed-c' }],
      replaced: [{ name: 'feed-a' }],
      deleted: [{ name: 'feed-b' }],
    });
    expect(await etcdContents()).toEqual(before);
  });

  it('PATCH changes the relay key once, and the etcd value holds the patched relay', async () => {
    const created = (await importRules(RULES).expect(201)).body.created[0] as { id: string };
    const key = `${prefix}/default/relays/${created.id}`;
    const keys = Object.keys(await etcdContents());
    expect(keys).toContain(key);
    const res = await http()
      .patch(`/api/v1/relays/${created.id}`)
      .set('Content-Type', 'application/merge-patch+json')
      .send('{"enabled": false}')
      .expect(200);
    const stored = await client.get(key).json();
    expect(stored).toMatchObject({ id: created.id, name: 'feed-a', enabled: false });
    const kv = (await client.get(key).exec()).kvs[0];
    expect(Number(kv.mod_revision)).toBe(res.body.revision);
  });
});
