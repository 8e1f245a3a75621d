// MCR_PLACEMENT=relay at scale: two real mcrd nodes owning 500 relays each; kill -9 of one. Reports
// the etcd writes (raft proposals) the move costs and the time until the survivor owns (forwards)
// all 1,000 relays, and bounds both.
import { etcdStatsDelta } from '../lib/etcd';
import { sleep } from '../lib/traffic';
import { HaCluster, LEASE_TTL_S, type HaNodeProcess } from './support/ha-cluster';
import { startHaEnvironment, stopHaEnvironment, type HaEnvironment } from './support/ha-environment';

jest.setTimeout(240_000);

const RELAYS = 1_000;
/** Lease expiry (≤ TTL after the last renewal) + detection + claims, on a loaded 2-core VM. */
const MOVE_BOUND_MS = LEASE_TTL_S * 1000 + 1_500;
/** 500 claims in chunks of 60 (9 transactions), the lease expiry, a few member records. */
const WRITES_BOUND = 30;

let env: Partial<HaEnvironment> = {};
let cluster: HaCluster;
const startedMs = Date.now();

beforeAll(async () => {
  env = await startHaEnvironment();
  cluster = new HaCluster(env.topology!, env.etcd!, `scale-${process.pid}`, { MCR_PLACEMENT: 'relay' });
});

afterAll(async () => {
  await cluster?.stop();
  await stopHaEnvironment(env, 'ha-placement-scale', startedMs);
});

async function owns(node: HaNodeProcess): Promise<Record<string, number>> {
  const body = (await node.api.json('GET', '/api/v1/cluster')).body;
  return Object.fromEntries(body.members.map((m: { nodeId: string; owns: number }) => [m.nodeId, m.owns]));
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

it(`kill -9 of one of two nodes owning ${RELAYS / 2} relays each: etcd writes and time until all forward again`, async () => {
  const [a, b] = cluster.nodes;
  a.start();
  b.start();
  await Promise.all([a.api.waitReady(), b.api.waitReady()]);
  const rules = Array.from({ length: RELAYS }, (_, i) => ({
    name: `scale-${i}`,
    input: { interface: 'uplink', group: `239.2.${i >> 8}.${i & 255}`, port: 5000 },
    outputs: [{ interface: 'downlink', group: `239.8.${i >> 8}.${i & 255}`, port: 6000 }],
  }));
  expect((await a.api.json('POST', '/api/v1/import', { rules })).status).toBe(201);
  const half = RELAYS / 2;
  await waitFor(
    'a 500/500 spread',
    async () => JSON.stringify(await owns(a)) === JSON.stringify({ 'relay-a': half, 'relay-b': half }),
    90_000,
  );
  await sleep(LEASE_TTL_S * 1000); // past the spread's last member-record refresh
  const etcd = (env as HaEnvironment).etcd;
  const before = await etcd.serverStats();
  const killedAt = performance.now();
  await b.stop('SIGKILL');
  await waitFor('the survivor owning every relay', async () => (await owns(a))['relay-a'] === RELAYS, 20_000);
  const moveMs = performance.now() - killedAt;
  const writes = etcdStatsDelta(before, await etcd.serverStats()).proposalsCommitted / etcd.size;
  process.stdout.write(
    `relay placement, ${RELAYS} relays (${half} per node), TTL ${LEASE_TTL_S} s, kill -9 of one node: ` +
      `all relays owned (forwarding) again after ${moveMs.toFixed(0)} ms; ${writes.toFixed(0)} etcd writes\n`,
  );
  expect(moveMs).toBeLessThanOrEqual(MOVE_BOUND_MS);
  expect(writes).toBeLessThanOrEqual(WRITES_BOUND);
});
