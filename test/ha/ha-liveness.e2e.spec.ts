// Failover on data-plane health (issue 16), with real etcd, two real mcrd processes and a sequenced
// 10 kpps stream: the active's upstream switch port stops forwarding (carrier up) or its ingress
// link goes down, and the standby that still receives takes over within a second, duplicate-free;
// a frozen active is still handled by its lease; and nothing moves when the source stops, when it
// sends 2 datagrams a second, when the old active's upstream returns, or when both nodes lose it.
// Also measures etcd's write rate at steady state with 1,000 relays. MCR_HA_LIVENESS_RUNS=5
// (`npm run measure:ha -w @mcr/e2e`) repeats each fault five times and prints median and max.
import { readFileSync } from 'node:fs';
import type { EtcdCluster } from '../lib/etcd';
import { etcdStatsDelta } from '../lib/etcd';
import { sleep } from '../lib/traffic';
import { HaCluster, LEASE_TTL_S, summary, withStream, type HaNodeProcess } from './support/ha-cluster';
import { startHaEnvironment, stopHaEnvironment } from './support/ha-environment';
import type { HaTopology } from './support/ha-topology';

const RUNS = Number(process.env.MCR_HA_LIVENESS_RUNS ?? 1);
const FAST_PPS = 10_000;
const HANDOVER_GAP_BOUND_MS = 1_000;
const FROZEN_MS = LEASE_TTL_S * 1000 + 2_000;
const FROZEN_GAP_BOUND_MS = LEASE_TTL_S * 1000 + 500;
const MANY_RELAYS = 1_000;
const STEADY_WINDOW_MS = 10_000;

let topology: HaTopology;
let etcd: EtcdCluster;
let cluster: HaCluster | undefined;
let clusters = 0;
const suiteStarted = Date.now();

beforeAll(async () => {
  ({ topology, etcd } = await startHaEnvironment());
});
afterAll(() => stopHaEnvironment({ topology, etcd }, 'ha-liveness', suiteStarted));
afterEach(async () => {
  for (const process of cluster?.nodes.map((node) => node.process) ?? []) process?.child.kill('SIGCONT');
  await cluster?.stop();
  cluster = undefined;
  for (const host of topology.relays) {
    await topology.setUpstreamForwarding(host, true);
    await topology.setIngressLink(host, true);
  }
});

async function startCluster(): Promise<HaCluster> {
  cluster = new HaCluster(topology, etcd, `liveness-${++clusters}`);
  await cluster.start();
  await cluster.createRelay(cluster.nodes[0]);
  return cluster;
}

/** mcr_failovers_total{reason} on `node`. */
async function failovers(node: HaNodeProcess, reason: string): Promise<number> {
  const text = await (await node.api.fetch('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`mcr_failovers_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** liveInputs of every member, as `node` reports them in GET /api/v1/cluster. */
async function liveInputs(node: HaNodeProcess): Promise<Record<string, number | null>> {
  const { body } = await node.api.json('GET', '/api/v1/cluster');
  const members = body.members as Array<{ nodeId: string; liveInputs: number | null }>;
  return Object.fromEntries(members.map((member) => [member.nodeId, member.liveInputs]));
}

/** The leader each running node names, and how many forward: nothing moved while this stays put. */
async function leadership(ha: HaCluster): Promise<{ leaders: string[]; active: number }> {
  const leaders = await Promise.all(
    ha.nodes.map(async (node) => String((await node.api.json('GET', '/api/v1/cluster')).body.leader)),
  );
  return { leaders, active: await ha.activeCount() };
}

/**
 * Starts watching `ha` for moves of the lead; the returned check asserts the leadership is what it
 * was, and when it is not, its failure lists what each node logged about the lead meanwhile.
 */
async function leadershipWatch(ha: HaCluster): Promise<() => Promise<void>> {
  const before = await leadership(ha);
  const logged = ha.logMarks();
  return async () => {
    const events = ha.leadEventsSince(logged);
    expect({ leadership: await leadership(ha), events }).toEqual({ leadership: before, events: [] });
  };
}

describe('the active loses its upstream while its process, lease and etcd stay healthy', () => {
  type Fault = (active: HaNodeProcess, on: boolean) => Promise<void>;

  /** Runs the fault on the active, checks the handover and visibility, restores, checks no revert. */
  async function handover(ha: HaCluster, fault: Fault): Promise<number> {
    const from = await ha.waitForActive();
    const to = ha.other(from);
    const before = await failovers(to, 'input_liveness');
    const result = await withStream(
      topology,
      7,
      async () => {
        await fault(from, true);
        await ha.waitForActive(to, 3_000);
        await sleep(300);
        expect(await ha.activeCount()).toBe(1);
        expect(await liveInputs(to)).toEqual({ [from.nodeId]: 0, [to.nodeId]: 1 });
        const health = await from.api.json('GET', '/healthz');
        expect(health.status).toBe(503);
        expect(health.body.error.inputs.message).toBe(
          `inputs silent on this node: 0 of 1 relay inputs alive, 1 on ${to.nodeId}`,
        );
        expect(from.api.output).toMatch(
          new RegExp(
            `handing over: input silent on ${from.nodeId} for \\d+ ms \\(0 of 1 inputs alive\\), alive on ${to.nodeId} \\(1\\)`,
          ),
        );
        await fault(from, false); // the old active receives again: it must not take the lead back
        await sleep(2_500);
        expect(await leadership(ha)).toEqual({ leaders: [to.nodeId, to.nodeId], active: 1 });
        expect((await from.api.json('GET', '/healthz')).status).toBe(200);
      },
      1_000,
      FAST_PPS,
    );
    expect(result.sink.duplicates).toBe(0);
    expect(result.gapMs).toBeLessThanOrEqual(HANDOVER_GAP_BOUND_MS);
    expect(await failovers(to, 'input_liveness')).toBe(before + 1);
    return result.gapMs;
  }

  async function repeat(name: string, fault: Fault): Promise<void> {
    const ha = await startCluster();
    const gaps: number[] = [];
    for (let run = 0; run < RUNS; run++) gaps.push(await handover(ha, fault));
    process.stdout.write(`${name} at ${FAST_PPS} pps: gap ${summary(gaps)}, 0 duplicates\n`);
  }

  it('its upstream bridge port stops forwarding (carrier up): the standby forwards within 1 s, 0 duplicates, no revert', async () => {
    await repeat('upstream port stops forwarding', (node, on) => topology.setUpstreamForwarding(node.host, !on));
  });

  it('its ingress link goes down: the standby forwards within 1 s, 0 duplicates, no revert', async () => {
    await repeat('ingress link down', (node, on) => topology.setIngressLink(node.host, !on));
  });
});

describe('a frozen active (SIGSTOP longer than the TTL, then SIGCONT)', () => {
  it(`the standby takes over within TTL + 0.5 s, 0 duplicates, one active afterwards`, async () => {
    const ha = await startCluster();
    const gaps: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const from = await ha.waitForActive();
      const to = ha.other(from);
      const result = await withStream(
        topology,
        FROZEN_MS / 1000 + 3,
        async () => {
          from.api.child.kill('SIGSTOP');
          await sleep(FROZEN_MS);
          from.api.child.kill('SIGCONT');
          await sleep(1_500);
          expect(await leadership(ha)).toEqual({ leaders: [to.nodeId, to.nodeId], active: 1 });
        },
        1_000,
        FAST_PPS,
      );
      expect(result.sink.duplicates).toBe(0);
      expect(result.gapMs).toBeLessThanOrEqual(FROZEN_GAP_BOUND_MS);
      gaps.push(result.gapMs);
    }
    process.stdout.write(`frozen active (SIGSTOP ${FROZEN_MS} ms, TTL ${LEASE_TTL_S} s): gap ${summary(gaps)}\n`);
  });
});

describe('no flapping', () => {
  it('the source stops for 10 s, then resumes: nothing moves', async () => {
    const ha = await startCluster();
    const nothingMoved = await leadershipWatch(ha);
    await withStream(topology, 2, async () => undefined, 1_000, FAST_PPS);
    await sleep(10_000);
    await nothingMoved();
    expect(await liveInputs(ha.nodes[0])).toEqual({ 'relay-a': 0, 'relay-b': 0 }); // silent everywhere
    expect((await ha.nodes[0].api.json('GET', '/healthz')).status).toBe(200);
    await withStream(topology, 2, async () => undefined, 1_000, FAST_PPS);
    await nothingMoved();
    for (const node of ha.nodes) expect(await failovers(node, 'input_liveness')).toBe(0);
  });

  it('a 2 pps stream for 60 s: both nodes count it alive throughout, nothing moves', async () => {
    const ha = await startCluster();
    const nothingMoved = await leadershipWatch(ha);
    const samples: Array<Record<string, number | null>> = [];
    await withStream(
      topology,
      62,
      async () => {
        await sleep(1_000); // the first two datagrams teach the interval
        for (let second = 0; second < 58; second++) {
          const [a, b] = await Promise.all(ha.nodes.map((node) => liveInputs(node)));
          samples.push({ a: a['relay-a'], b: b['relay-b'] });
          await sleep(1_000);
        }
      },
      0,
      2,
    );
    expect(samples.filter((sample) => sample.a !== 1 || sample.b !== 1)).toEqual([]);
    await nothingMoved();
    for (const node of ha.nodes) expect(await failovers(node, 'input_liveness')).toBe(0);
  });

  it('both nodes lose the upstream, then get it back: nothing moves', async () => {
    const ha = await startCluster();
    const nothingMoved = await leadershipWatch(ha);
    await withStream(
      topology,
      9,
      async () => {
        await Promise.all(topology.relays.map((host) => topology.setUpstreamForwarding(host, false)));
        await sleep(4_000);
        await nothingMoved();
        await Promise.all(topology.relays.map((host) => topology.setUpstreamForwarding(host, true)));
        await sleep(2_500);
      },
      1_000,
      FAST_PPS,
    );
    await nothingMoved();
    for (const node of ha.nodes) expect(await failovers(node, 'input_liveness')).toBe(0);
  });
});

describe('cost at steady state', () => {
  it(`${MANY_RELAYS} relays, one of them fed at ${FAST_PPS} pps: no etcd writes beyond lease renewals and member records`, async () => {
    const ha = await startCluster();
    const rules = Array.from({ length: MANY_RELAYS - 1 }, (_, i) => ({
      name: `idle-${i}`,
      input: { interface: 'uplink', group: `239.2.${i >> 8}.${i & 255}`, port: 5000 },
      outputs: [{ interface: 'downlink', group: `239.8.${i >> 8}.${i & 255}`, port: 6000 }],
    }));
    const imported = await ha.nodes[0].api.json('POST', '/api/v1/import', { rules });
    expect(imported.status).toBe(201);
    for (const node of ha.nodes) {
      const deadline = Date.now() + 60_000;
      while ((await node.api.json('GET', '/api/v1/relays')).body.length < MANY_RELAYS) {
        if (Date.now() > deadline) throw new Error(`${node.nodeId} did not get ${MANY_RELAYS} relays`);
        await sleep(200);
      }
    }
    const cpuBefore = ha.nodes.map((node) => cpuSeconds(node));
    let perSecond = 0;
    await withStream(
      topology,
      STEADY_WINDOW_MS / 1000 + 3,
      async () => {
        await sleep(1_000);
        const before = await etcd.serverStats();
        await sleep(STEADY_WINDOW_MS);
        const delta = etcdStatsDelta(before, await etcd.serverStats());
        perSecond = delta.proposalsCommitted / etcd.size / (STEADY_WINDOW_MS / 1000);
        expect(await liveInputs(ha.nodes[0])).toEqual({ 'relay-a': 1, 'relay-b': 1 });
      },
      1_000,
      FAST_PPS,
    );
    const cpu = ha.nodes.map((node, i) => ((cpuSeconds(node) - cpuBefore[i]) / (STEADY_WINDOW_MS / 1000 + 4)) * 100);
    process.stdout.write(
      `steady state, ${MANY_RELAYS} relays, 2 nodes, TTL ${LEASE_TTL_S} s: ${perSecond.toFixed(2)} etcd writes/s; ` +
        `mcrd CPU ${cpu.map((c) => c.toFixed(1)).join('% / ')}% (liveness sampling included)\n`,
    );
    // Renewals are not raft writes; each node refreshes its member record once per TTL, and input
    // liveness adds nothing while no input changes state.
    expect(perSecond).toBeLessThanOrEqual(2 / LEASE_TTL_S + 0.5);
  });
});

/** User + system CPU seconds of a node's mcrd process so far. */
function cpuSeconds(node: HaNodeProcess): number {
  const fields = readFileSync(`/proc/${node.api.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}
