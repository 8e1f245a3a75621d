// HA with real etcd (three members) and two real mcrd processes: state sync, concurrent writes,
// kill -9 and SIGTERM of the active under a sequenced stream, and the old active rejoining as
// standby (issue 6, tests 1, 2, 3, 6, 7). Prints the measured gaps and propagation latency.
import { EtcdCluster } from '../lib/etcd';
import { sleep } from '../lib/traffic';
import { HaCluster, LEASE_TTL_S, summary, withStream, type HaNodeProcess } from './support/ha-cluster';
import { createHaTopology, ETCD_ADDRESSES, type HaTopology } from './support/ha-topology';

const RUNS = Number(process.env.MCR_HA_RUNS ?? 5);
const KILL_GAP_BOUND_MS = LEASE_TTL_S * 1000 + 1500;
const SIGTERM_GAP_BOUND_MS = 500;

let topology: HaTopology;
let etcd: EtcdCluster;
let cluster: HaCluster;
let clusters = 0;
const suiteStarted = Date.now();

beforeAll(async () => {
  topology = await createHaTopology();
  etcd = await EtcdCluster.start(topology.etcd, ETCD_ADDRESSES);
});
afterAll(async () => {
  await etcd?.stop();
  await topology?.destroy();
  process.stdout.write(`ha-failover suite: ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s\n`);
});
beforeEach(async () => {
  cluster = new HaCluster(topology, etcd, `failover-${++clusters}`);
  await cluster.start();
});
afterEach(async () => {
  await cluster.stop();
});

describe('HA state sync', () => {
  it('relays created through node A appear armed on node B; changes reach B through the watch quickly', async () => {
    const [a, b] = cluster.nodes;
    const relay = await cluster.createRelay(a);
    expect(await cluster.waitForState(a, relay.id)).toBe('forwarding');
    expect(await cluster.waitForState(b, relay.id)).toBe('standby');
    expect((await b.api.json('GET', '/api/v1/relays')).body).toHaveLength(1);

    // Propagation: a write answered by A, until B's reconciler has applied that revision.
    const latencies: number[] = [];
    const body = { name: 'probe', input: { interface: 'uplink', group: '239.1.1.2', port: 5100 }, outputs: [{ interface: 'downlink', group: '239.9.9.8', port: 7000 }] };
    const probe = (await a.api.json('POST', '/api/v1/relays', body)).body;
    for (let i = 1; i <= 40; i++) {
      const res = await a.api.json('PUT', `/api/v1/relays/${probe.id}`, { ...body, outputs: [{ ...body.outputs[0], port: 7000 + i }] });
      expect(res.status).toBe(200);
      const written = Date.now();
      for (;;) {
        const ready = await b.api.json('GET', '/readyz');
        if (ready.body?.info?.reconciler?.revision >= res.body.revision) break;
        await sleep(2);
      }
      latencies.push(Date.now() - written);
    }
    latencies.sort((x, y) => x - y);
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1];
    process.stdout.write(`propagation A->B (write answered -> B applied, polled every 2 ms): p50=${latencies[20]} ms p99=${p99} ms max=${latencies[39]} ms [${latencies.join(",")}]\n`);
    // Target: p99 < 100 ms (reported above); the bound is generous for a loaded 2-core CI host.
    expect(latencies[20]).toBeLessThan(100);
    expect(p99).toBeLessThan(500);
  });

  it('two concurrent PUTs with the same If-Match through two nodes: exactly one wins', async () => {
    const [a, b] = cluster.nodes;
    const relay = await cluster.createRelay(a);
    const get = await b.api.json('GET', `/api/v1/relays/${relay.id}`);
    const etag = get.headers.get('etag') as string;
    const base = { name: get.body.name, input: get.body.input, outputs: get.body.outputs };
    const [fromA, fromB] = await Promise.all([
      a.api.json('PUT', `/api/v1/relays/${relay.id}`, { ...base, name: 'renamed-by-a' }, { 'If-Match': etag }),
      b.api.json('PUT', `/api/v1/relays/${relay.id}`, { ...base, name: 'renamed-by-b' }, { 'If-Match': etag }),
    ]);
    expect([fromA.status, fromB.status].sort()).toEqual([200, 412]);
    const winner = fromA.status === 200 ? 'renamed-by-a' : 'renamed-by-b';
    expect((await a.api.json('GET', `/api/v1/relays/${relay.id}`)).body.name).toBe(winner);
    expect((await b.api.json('GET', `/api/v1/relays/${relay.id}`)).body.name).toBe(winner);
  });
});

describe('HA failover under a sequenced stream', () => {
  /** Kills (or stops) the active, waits for the other to forward, restarts the old one as standby. */
  async function failover(signal: NodeJS.Signals): Promise<{ gapMs: number; duplicates: number; from: HaNodeProcess }> {
    const from = await cluster.waitForActive();
    const to = cluster.other(from);
    const result = await withStream(topology, LEASE_TTL_S + 4, async () => {
      await from.stop(signal);
      await cluster.waitForActive(to, 10_000);
      // Test 6: the old active comes back as standby, with every relay, and forwards nothing.
      from.start();
      await from.api.waitReady();
      await sleep(500);
      expect(await from.isActive()).toBe(false);
      expect((await from.api.json('GET', '/api/v1/cluster')).body).toMatchObject({ role: 'standby', leader: to.nodeId });
    });
    expect((await to.api.json('GET', '/api/v1/relays')).body).toHaveLength(1);
    expect(result.sink.received).toBeGreaterThan(0);
    return { gapMs: result.gapMs, duplicates: result.sink.duplicates, from };
  }

  it(`kill -9 of the active: the standby forwards within TTL + 1.5 s, zero duplicates, ${RUNS} runs`, async () => {
    await cluster.createRelay(cluster.nodes[0]);
    const gaps: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { gapMs, duplicates } = await failover('SIGKILL');
      expect(duplicates).toBe(0);
      expect(gapMs).toBeLessThanOrEqual(KILL_GAP_BOUND_MS);
      gaps.push(gapMs);
    }
    process.stdout.write(`kill -9 failover gap (TTL ${LEASE_TTL_S} s, ${RUNS} runs): ${summary(gaps)}\n`);
  });

  it(`SIGTERM of the active: stop, resign, the standby takes over within 500 ms, zero duplicates, ${RUNS} runs`, async () => {
    await cluster.createRelay(cluster.nodes[0]);
    const gaps: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { gapMs, duplicates } = await failover('SIGTERM');
      expect(duplicates).toBe(0);
      expect(gapMs).toBeLessThanOrEqual(SIGTERM_GAP_BOUND_MS);
      gaps.push(gapMs);
    }
    process.stdout.write(`SIGTERM failover gap (${RUNS} runs): ${summary(gaps)}\n`);
  });
});
