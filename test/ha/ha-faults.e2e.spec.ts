// HA faults with real etcd and two real mcrd processes under a sequenced stream: the active cut
// off from etcd (standby and keep policies), etcd members stopped (follower, raft leader, quorum,
// quorum under the keep policy), planned switchover and maintenance mode (issue 6, tests 4, 5, 8),
// and one IGMP/MLD querier per segment: only the active queries (issue 19).
import type { EtcdCluster } from '../lib/etcd';
import { sleep } from '../lib/traffic';
import { HaCluster, LEASE_TTL_S, withStream } from './support/ha-cluster';
import { KILL_GAP_BOUND_MS, startHaEnvironment, stopHaEnvironment } from './support/ha-environment';
import { startCapture, type CapturedQuery } from '../querier/support/capture';
import type { HaTopology, RelayHost } from './support/ha-topology';

const PLANNED_GAP_BOUND_MS = 500;

let topology: HaTopology;
let etcd: EtcdCluster;
let cluster: HaCluster | undefined;
let clusters = 0;
const suiteStarted = Date.now();

beforeAll(async () => {
  ({ topology, etcd } = await startHaEnvironment());
});
afterAll(() => stopHaEnvironment({ topology, etcd }, 'ha-faults', suiteStarted));
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  for (const host of topology.relays) await topology.healToEtcd(host).catch(() => undefined);
  for (let i = 0; i < etcd.size; i++) if (!etcd.running().includes(i)) await etcd.restartMember(i);
});

async function startCluster(
  env: Record<string, string> = {},
  hostEnv?: (host: RelayHost) => Record<string, string>,
): Promise<HaCluster> {
  cluster = new HaCluster(topology, etcd, `faults-${++clusters}`, env, hostEnv);
  await cluster.start();
  await cluster.createRelay(cluster.nodes[0]);
  return cluster;
}

describe('the active cut off from etcd while it still receives multicast', () => {
  it('MCR_ON_STORE_LOSS=standby: it fences before the standby starts; after healing exactly one node is active; zero duplicates', async () => {
    const ha = await startCluster();
    const active = await ha.waitForActive();
    const standby = ha.other(active);
    const result = await withStream(topology, 9, async () => {
      await topology.cutFromEtcd(active.host);
      await ha.waitForActive(standby, KILL_GAP_BOUND_MS + 2_000);
      expect(await active.isActive()).toBe(false);
      await sleep(1_000);
      await topology.healToEtcd(active.host); // mid-stream
      await sleep(2_500);
      expect(await ha.activeCount()).toBe(1);
      expect(await standby.isActive()).toBe(true);
    });
    expect(result.sink.duplicates).toBe(0);
    expect(result.gapMs).toBeLessThanOrEqual(KILL_GAP_BOUND_MS);
    process.stdout.write(
      `cut from etcd (standby policy): gap ${result.gapMs} ms, duplicates ${result.sink.duplicates}\n`,
    );
  });

  it('MCR_ON_STORE_LOSS=keep: it keeps forwarding, so both forward until the cut heals (duplicates: the price of no outage)', async () => {
    const ha = await startCluster({ MCR_ON_STORE_LOSS: 'keep' });
    const active = await ha.waitForActive();
    const standby = ha.other(active);
    const result = await withStream(topology, 9, async () => {
      await topology.cutFromEtcd(active.host);
      await ha.waitForActive(standby, KILL_GAP_BOUND_MS + 2_000);
      expect(await ha.activeCount()).toBe(2); // the cut-off node forwards on, and says so to keepalived
      await sleep(1_000);
      await topology.healToEtcd(active.host);
      const deadline = Date.now() + 10_000;
      while ((await active.api.json('GET', '/api/v1/cluster')).body.role !== 'standby') {
        if (Date.now() > deadline) throw new Error('the old active did not step down after the cut healed');
        await sleep(100);
      }
      expect(await ha.activeCount()).toBe(1);
    });
    // No gap at all (the cut-off node never stopped), and duplicates while both forwarded.
    expect(result.gapMs).toBeLessThan(250);
    expect(result.sink.duplicates).toBeGreaterThan(0);
    process.stdout.write(
      `cut from etcd (keep policy): gap ${result.gapMs} ms, duplicates ${result.sink.duplicates} (both nodes forwarded)\n`,
    );
  });
});

describe('etcd member failures', () => {
  it('a follower stops: no failover, no gap; the raft leader stops: zero duplicates, bounded gap', async () => {
    const ha = await startCluster();
    const active = await ha.waitForActive();
    const follower = ((await etcd.leaderIndex()) + 1) % etcd.size;
    const followerStopped = await withStream(topology, 5, async () => {
      await etcd.stopMember(follower);
      await sleep(2_500);
      expect(await active.isActive()).toBe(true);
    });
    expect(followerStopped.sink.duplicates).toBe(0);
    expect(followerStopped.gapMs).toBeLessThan(250);
    await etcd.restartMember(follower);

    const leaderStopped = await withStream(topology, 6, async () => {
      await etcd.stopMember(await etcd.leaderIndex());
      await sleep(3_500);
      expect(await ha.activeCount()).toBe(1);
    });
    expect(leaderStopped.sink.duplicates).toBe(0);
    expect(leaderStopped.gapMs).toBeLessThanOrEqual(KILL_GAP_BOUND_MS);
    process.stdout.write(
      `etcd follower stopped: gap ${followerStopped.gapMs} ms; raft leader stopped: gap ${leaderStopped.gapMs} ms, duplicates 0\n`,
    );
  });

  it('two members stop: the active fences and writes answer 503 naming the store; restarted, the cluster heals without operator action', async () => {
    const ha = await startCluster();
    const active = await ha.waitForActive();
    const leader = await etcd.leaderIndex();
    const stopped = [(leader + 1) % etcd.size, (leader + 2) % etcd.size];
    const result = await withStream(
      topology,
      12,
      async () => {
        await Promise.all(stopped.map((i) => etcd.stopMember(i)));
        const deadline = Date.now() + KILL_GAP_BOUND_MS + 2_000;
        while ((await ha.activeCount()) > 0) {
          if (Date.now() > deadline) throw new Error('the active kept forwarding without an etcd quorum');
          await sleep(50);
        }
        const write = await active.api.json('POST', '/api/v1/relays', {
          name: 'during-outage',
          input: { interface: 'uplink', group: '239.1.1.3', port: 5200 },
          outputs: [{ interface: 'downlink', group: '239.9.9.7', port: 7100 }],
        });
        expect(write.status).toBe(503);
        expect(write.body.message).toContain('etcd store');
        for (const i of stopped) await etcd.restartMember(i);
        await ha.waitForActive(undefined, 20_000);
      },
      1_000,
    );
    expect(result.sink.duplicates).toBe(0);
    const after = await withStream(topology, 2, async () => undefined, 500);
    expect(after.sink.received).toBeGreaterThan(0);
    expect(after.sink.duplicates).toBe(0);
  });
});

describe('etcd quorum lost under MCR_ON_STORE_LOSS=keep', () => {
  it('the active keeps forwarding without a quorum, nobody else starts, and one node is active after it returns', async () => {
    const ha = await startCluster({ MCR_ON_STORE_LOSS: 'keep' });
    const active = await ha.waitForActive();
    const leader = await etcd.leaderIndex();
    const stopped = [(leader + 1) % etcd.size, (leader + 2) % etcd.size];
    const result = await withStream(topology, 14, async () => {
      await Promise.all(stopped.map((i) => etcd.stopMember(i)));
      await sleep(KILL_GAP_BOUND_MS + 1_000); // past the lease TTL: fail-static, not fenced
      expect(await active.isActive()).toBe(true);
      expect(await ha.activeCount()).toBe(1);
      for (const i of stopped) await etcd.restartMember(i);
      await sleep(3_000);
      expect(await ha.activeCount()).toBe(1);
    });
    expect(result.sink.duplicates).toBe(0);
    expect(result.gapMs).toBeLessThan(250);
    process.stdout.write(
      `etcd quorum lost (keep policy): gap ${result.gapMs} ms, duplicates ${result.sink.duplicates}\n`,
    );
  });
});

describe('operator controls', () => {
  it('switchover to a named node and maintenance mode hand over with zero duplicates; maintenance outlives a restart', async () => {
    const ha = await startCluster();
    const first = await ha.waitForActive();
    const second = ha.other(first);
    const switched = await withStream(topology, 4, async () => {
      const res = await second.api.json('POST', '/api/v1/cluster/switchover', { to: second.nodeId });
      expect(res.status).toBe(202);
      await ha.waitForActive(second, 5_000);
    });
    expect(switched.sink.duplicates).toBe(0);
    expect(switched.gapMs).toBeLessThanOrEqual(PLANNED_GAP_BOUND_MS);
    expect((await first.api.json('POST', '/api/v1/cluster/switchover', { to: 'no-such-node' })).status).toBe(404);

    const maintained = await withStream(topology, 4, async () => {
      const res = await second.api.json('POST', '/api/v1/cluster/maintenance', { enabled: true });
      expect(res.status).toBe(202);
      await ha.waitForActive(first, 5_000);
    });
    expect(maintained.sink.duplicates).toBe(0);
    expect(maintained.gapMs).toBeLessThanOrEqual(PLANNED_GAP_BOUND_MS);
    await sleep(1_000);
    expect(await second.isActive()).toBe(false);
    expect((await first.api.json('GET', '/api/v1/cluster')).body.members).toEqual(
      expect.arrayContaining([expect.objectContaining({ nodeId: second.nodeId, maintenance: true, role: 'standby' })]),
    );
    process.stdout.write(
      `switchover gap ${switched.gapMs} ms, maintenance handover gap ${maintained.gapMs} ms, duplicates 0\n`,
    );

    // Maintenance outlives a restart: the node stays out of elections, even with nobody else left.
    await second.stop('SIGTERM');
    second.start();
    await second.api.waitReady();
    await sleep(1_000);
    expect((await second.api.json('GET', '/api/v1/cluster')).body.members).toEqual(
      expect.arrayContaining([expect.objectContaining({ nodeId: second.nodeId, maintenance: true, role: 'standby' })]),
    );
    await first.stop('SIGKILL');
    await sleep(LEASE_TTL_S * 1000 + 2_000);
    expect(await second.isActive()).toBe(false);
    expect((await second.api.json('POST', '/api/v1/cluster/maintenance', { enabled: false })).status).toBe(202);
    await ha.waitForActive(second, 5_000);
  });
});

describe('the IGMP/MLD querier in a cluster', () => {
  const QUERY_INTERVAL_S = 1;
  /** The egress addresses on the sink's segment (brB): relay-a has the lower one. */
  const EGRESS_ADDRESS: Record<string, string> = { 'relay-a': '10.79.2.1', 'relay-b': '10.79.2.2' };

  /** The general IGMP queries the sink hears on its segment during `seconds`. */
  async function queriesOnSinkSegment(seconds: number): Promise<CapturedQuery[]> {
    const capture = await startCapture(topology.sink, 'sink0', seconds, []);
    return (await capture.report).queries.filter((query) => query.protocol === 'igmp');
  }

  it('one querier per segment: only the active node queries, also when the standby has the lower address', async () => {
    const ha = await startCluster({ MCR_QUERIER_INTERVAL_S: String(QUERY_INTERVAL_S) }, (host) => ({
      MCR_QUERIER_INTERFACES: host.egress,
    }));
    const first = await ha.waitForActive();
    const second = ha.other(first);
    const fromFirst = await queriesOnSinkSegment(3);
    expect(new Set(fromFirst.map((query) => query.source))).toEqual(new Set([EGRESS_ADDRESS[first.nodeId]]));
    expect(fromFirst.length).toBeGreaterThanOrEqual(2);
    const standbyView = (await second.api.json('GET', '/api/v1/querier')).body as {
      interfaces: Array<{ protocol: string; state: string }>;
    };
    expect(standbyView.interfaces.map((i) => i.state)).toEqual(standbyView.interfaces.map(() => 'standby'));

    // After a switchover the new active queries and the old one, relay-a with the lower address
    // included, stays silent: the RFC election alone would have made relay-a the querier.
    expect((await first.api.json('POST', '/api/v1/cluster/switchover', { to: second.nodeId })).status).toBe(202);
    await ha.waitForActive(second, 5_000);
    await sleep(500);
    const fromSecond = await queriesOnSinkSegment(3);
    expect(new Set(fromSecond.map((query) => query.source))).toEqual(new Set([EGRESS_ADDRESS[second.nodeId]]));
    expect(fromSecond.length).toBeGreaterThanOrEqual(2);
  });
});
