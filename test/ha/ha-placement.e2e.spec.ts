// MCR_PLACEMENT=relay end to end: two real mcrd nodes, a real etcd cluster, four relays, each with
// its own sequenced stream and sink. Each relay is forwarded by exactly one node; a kill -9 moves
// only the dead node's relays, an upstream loss of one relay on its owner moves only that relay,
// and a node (re)joining takes its share back; a third node joining takes a share, and a relay
// with a preferredNode moves to that node, all without a duplicate at any sink.
import { sleep, startGen, startSink, type SinkHandle } from '../lib/traffic';
import { HaCluster, LEASE_TTL_S, type HaNodeProcess } from './support/ha-cluster';
import { startHaEnvironment, stopHaEnvironment, type HaEnvironment } from './support/ha-environment';

jest.setTimeout(150_000);

const RELAY_COUNT = 4;
const RATE_PPS = 1_000;
/** The bound for a kill -9: the lease TTL plus half a second. */
const KILL_GAP_BOUND_MS = LEASE_TTL_S * 1000 + 500;
/** Silence (150-200 ms) + publish + hold-down (300 ms) + a planned handover. */
const INPUT_GAP_BOUND_MS = 1_000;
/** A relay that did not move sees no more than scheduling jitter. */
const UNMOVED_GAP_BOUND_MS = 300;

const relaySpec = (i: number) => ({
  name: `feed-${i}`,
  input: { interface: 'uplink', group: `239.1.1.${i}`, port: 5000 + i },
  outputs: [{ interface: 'downlink', group: `239.9.9.${i}`, port: 6000 + i }],
});

let env: Partial<HaEnvironment> = {};
let cluster: HaCluster;
const ids: string[] = [];
const startedMs = Date.now();

beforeAll(async () => {
  env = await startHaEnvironment({ relayHosts: 3 });
  for (let i = 1; i <= RELAY_COUNT; i++)
    await env.topology!.gen.ip('addr', 'add', `${streamSource(i)}/24`, 'dev', 'gen0');
  cluster = new HaCluster(env.topology!, env.etcd!, `placement-${process.pid}`, { MCR_PLACEMENT: 'relay' });
  const [a, b] = cluster.nodes;
  a.start();
  b.start();
  await Promise.all([a.api.waitReady(), b.api.waitReady()]);
  for (let i = 1; i <= RELAY_COUNT; i++) {
    const res = await a.api.json('POST', '/api/v1/relays', relaySpec(i));
    if (res.status !== 201) throw new Error(`POST /api/v1/relays answered ${res.status}: ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
});

afterAll(async () => {
  await cluster?.stop();
  await stopHaEnvironment(env, 'ha-placement', startedMs);
});

async function owners(node: HaNodeProcess): Promise<Record<string, string>> {
  return ((await node.api.json('GET', '/api/v1/cluster')).body.owners ?? {}) as Record<string, string>;
}

/** Waits until `node` sees every relay owned and `settled` holds for the owners; returns them. */
async function waitForOwners(
  node: HaNodeProcess,
  settled: (current: Record<string, string>) => boolean,
  expected: string,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await owners(node);
    if (Object.keys(current).length === RELAY_COUNT && settled(current)) return current;
    if (Date.now() > deadline) throw new Error(`owners never became ${expected}: ${JSON.stringify(current)}`);
    await sleep(100);
  }
}

/** Waits until `node` sees every relay owned, `perNode` relays on each running node. */
async function waitForSpread(node: HaNodeProcess, perNode: Record<string, number>, timeoutMs = 15_000) {
  const matches = (current: Record<string, string>) => {
    const counts: Record<string, number> = {};
    for (const owner of Object.values(current)) counts[owner] = (counts[owner] ?? 0) + 1;
    return JSON.stringify(sorted(counts)) === JSON.stringify(sorted(perNode));
  };
  return waitForOwners(node, matches, `spread as ${JSON.stringify(perNode)}`, timeoutMs);
}

const sorted = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).sort());

interface StreamsResult {
  gapMs: number[];
  duplicates: number[];
  received: number[];
}

/** One generator and one sink per relay while `during` runs. */
async function withStreams(durationS: number, during: () => Promise<void>): Promise<StreamsResult> {
  const { topology } = env as HaEnvironment;
  const sinks: SinkHandle[] = [];
  for (let i = 1; i <= RELAY_COUNT; i++) {
    sinks.push(
      await startSink(topology.sink, ['--group', `239.9.9.${i}`, '--port', String(6000 + i), '--interface', 'sink0']),
    );
  }
  const gens = [];
  for (let i = 1; i <= RELAY_COUNT; i++) {
    gens.push(
      startGen(topology.gen, [
        ...['--group', `239.1.1.${i}`, '--port', String(5000 + i), '--interface', 'gen0', '--bind', streamSource(i)],
        ...['--rate', String(RATE_PPS), '--duration', String(durationS), '--ttl', '4'],
      ]),
    );
  }
  let failure: { error: unknown } | undefined;
  try {
    await sleep(1_000);
    await during();
  } catch (error) {
    failure = { error };
  }
  await Promise.all(gens);
  await sleep(300);
  const reports = await Promise.all(sinks.map((sink) => sink.stop()));
  if (failure) throw failure.error;
  return {
    gapMs: reports.map((r) => Number(r.longest_silence_ms)),
    duplicates: reports.map((r) => r.duplicates),
    received: reports.map((r) => r.received),
  };
}

/** Each relay's stream comes from its own source address, so one can be refused on one host. */
const streamSource = (i: number) => `10.79.1.${20 + i}`;

/**
 * Stops one relay's stream on `host` only (no netfilter or tc classifier is needed): strict reverse
 * path filtering with a blackhole route to that stream's source makes the host's kernel drop its
 * datagrams on arrival, while the other streams, and the other host, receive as before. IPv4
 * forwarding goes on for the ingress first: the eBPF datapath checks the source with a route lookup
 * that needs it (without, the relay would move to sockets), so on eBPF the program's own check is
 * what stops the stream.
 */
async function dropUpstream(host: HaNodeProcess, relayIndex: number, drop: boolean): Promise<void> {
  const { ns, ingress } = host.host;
  const rpFilter = (value: string) =>
    Promise.all(['all', ingress].map((dev) => ns.sysctl(`net.ipv4.conf.${dev}.rp_filter`, value)));
  const forwarding = (value: string) => ns.sysctl(`net.ipv4.conf.${ingress}.forwarding`, value);
  if (drop) await forwarding('1');
  await rpFilter(drop ? '1' : '0');
  if (!drop) await forwarding('0');
  await ns.ip('route', drop ? 'add' : 'del', 'blackhole', `${streamSource(relayIndex)}/32`);
}

describe('MCR_PLACEMENT=relay', () => {
  it('spreads 4 relays 2/2; every node that forwards answers /healthz/active; owners in stats and metrics', async () => {
    const [a, b] = cluster.nodes;
    const current = await waitForSpread(a, { 'relay-a': 2, 'relay-b': 2 });
    expect(await owners(b)).toEqual(current);
    expect(await a.isActive()).toBe(true);
    expect(await b.isActive()).toBe(true);
    const stats = (await b.api.json('GET', `/api/v1/relays/${ids[0]}/stats`)).body;
    expect(stats.owner).toBe(current[ids[0]]);
    const metrics = await (await a.api.fetch('/metrics')).text();
    const owned = ids.filter((id) => current[id] === 'relay-a');
    for (const id of ids) expect(metrics).toContain(`mcr_relay_owned{relay="${id}"} ${owned.includes(id) ? 1 : 0}`);
    const result = await withStreams(3, () => sleep(1_000));
    expect(result.duplicates).toEqual([0, 0, 0, 0]);
    for (const received of result.received) expect(received).toBeGreaterThan(RATE_PPS);
  });

  it('kill -9 of a node moves only its 2 relays within TTL + 0.5 s, 0 duplicates; restarted, it takes 2 back', async () => {
    const [a, b] = cluster.nodes;
    const before = await waitForSpread(a, { 'relay-a': 2, 'relay-b': 2 });
    const victims = ids.map((id, index) => (before[id] === 'relay-b' ? index : -1)).filter((index) => index >= 0);
    const killed = await withStreams(LEASE_TTL_S + 4, async () => {
      await b.stop('SIGKILL');
      await waitForSpread(a, { 'relay-a': 4 }, 10_000);
    });
    process.stdout.write(`kill -9 (TTL ${LEASE_TTL_S} s): gaps per relay ${killed.gapMs.join(', ')} ms\n`);
    expect(killed.duplicates).toEqual([0, 0, 0, 0]);
    ids.forEach((_, index) => {
      const bound = victims.includes(index) ? KILL_GAP_BOUND_MS : UNMOVED_GAP_BOUND_MS;
      expect(killed.gapMs[index]).toBeLessThanOrEqual(bound);
    });

    const rejoined = await withStreams(6, async () => {
      b.start();
      await b.api.waitReady();
      await waitForSpread(a, { 'relay-a': 2, 'relay-b': 2 });
    });
    process.stdout.write(`node rejoining: gaps per relay ${rejoined.gapMs.join(', ')} ms\n`);
    expect(rejoined.duplicates).toEqual([0, 0, 0, 0]);
    for (const gap of rejoined.gapMs) expect(gap).toBeLessThanOrEqual(INPUT_GAP_BOUND_MS);
  });

  it('upstream loss of one relay on its owner moves only that relay within 1 s, 0 duplicates', async () => {
    const [a] = cluster.nodes;
    const before = await waitForSpread(a, { 'relay-a': 2, 'relay-b': 2 });
    const lost = ids.findIndex((id) => before[id] === 'relay-a');
    const owner = cluster.nodes[0];
    let after: Record<string, string> = {};
    const result = await withStreams(5, async () => {
      await dropUpstream(owner, lost + 1, true);
      try {
        const deadline = Date.now() + 5_000;
        while ((after = await owners(a))[ids[lost]] !== 'relay-b' && Date.now() < deadline) await sleep(50);
        await sleep(1_500);
        after = await owners(a);
      } finally {
        await dropUpstream(owner, lost + 1, false);
      }
    });
    process.stdout.write(`upstream loss of one relay: gaps per relay ${result.gapMs.join(', ')} ms\n`);
    expect(after[ids[lost]]).toBe('relay-b');
    ids.forEach((id, index) => {
      if (index !== lost) expect(after[id]).toBe(before[id]);
    });
    expect(result.duplicates).toEqual([0, 0, 0, 0]);
    ids.forEach((_, index) => {
      expect(result.gapMs[index]).toBeLessThanOrEqual(index === lost ? INPUT_GAP_BOUND_MS : UNMOVED_GAP_BOUND_MS);
    });
  });

  it('a third node joining takes a share (the others keep theirs) with 0 duplicates', async () => {
    const [a] = cluster.nodes;
    const before = await waitForSpread(a, { 'relay-a': 2, 'relay-b': 2 });
    const c = cluster.addNode('relay-c', env.topology!.relays[2]);
    let after: Record<string, string> = {};
    const joined = await withStreams(6, async () => {
      c.start();
      await c.api.waitReady();
      after = await waitForOwners(a, (current) => Object.values(current).includes('relay-c'), 'with relay-c');
      await sleep(1_500); // nothing else moves once the share is taken
      after = await owners(a);
    });
    process.stdout.write(`third node joining: gaps per relay ${joined.gapMs.join(', ')} ms\n`);
    const moved = ids.filter((id) => after[id] !== before[id]);
    expect(moved).toHaveLength(1);
    expect(after[moved[0]]).toBe('relay-c');
    expect(await owners(c)).toEqual(after);
    expect(joined.duplicates).toEqual([0, 0, 0, 0]);
    for (const received of joined.received) expect(received).toBeGreaterThan(RATE_PPS);
    for (const gap of joined.gapMs) expect(gap).toBeLessThanOrEqual(INPUT_GAP_BOUND_MS);
  });

  it('a relay given a preferredNode moves to that node with 0 duplicates, and stays there', async () => {
    const [a] = cluster.nodes;
    const before = await owners(a);
    const index = ids.findIndex((id) => before[id] !== 'relay-c');
    const id = ids[index];
    const moved = await withStreams(5, async () => {
      const res = await a.api.json('PATCH', `/api/v1/relays/${id}`, { preferredNode: 'relay-c' });
      expect(res.status).toBe(200);
      expect(res.body.preferredNode).toBe('relay-c');
      await waitForOwners(a, (current) => current[id] === 'relay-c', `${id} on relay-c`, 5_000);
      await sleep(1_500);
    });
    process.stdout.write(`move to the preferred node: gaps per relay ${moved.gapMs.join(', ')} ms\n`);
    expect((await owners(a))[id]).toBe('relay-c');
    expect(moved.duplicates).toEqual([0, 0, 0, 0]);
    expect(moved.gapMs[index]).toBeLessThanOrEqual(INPUT_GAP_BOUND_MS);
    const stats = (await cluster.nodes[2].api.json('GET', `/api/v1/relays/${id}/stats`)).body;
    expect(stats.owner).toBe('relay-c');
    // The next case needs the two-node cluster it started with.
    await a.api.json('PATCH', `/api/v1/relays/${id}`, { preferredNode: null });
    await cluster.nodes[2].stop('SIGTERM');
    await waitForSpread(a, { 'relay-a': 2, 'relay-b': 2 });
  });

  it('a node started with MCR_PLACEMENT=node refuses to join the running relay-placement cluster, naming both', async () => {
    const [, b] = cluster.nodes;
    await b.stop('SIGTERM');
    const refused = b.start({ MCR_PLACEMENT: 'node' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 20_000)));
    const exit = await Promise.race([refused.exited, timeout]).finally(() => clearTimeout(timer));
    expect(exit).toBeDefined();
    expect(exit?.code).not.toBe(0);
    expect(refused.output).toContain('MCR_PLACEMENT=node, but cluster');
    expect(refused.output).toContain('runs with MCR_PLACEMENT=relay (node relay-a)');
    await b.stop('SIGKILL');
  });
});
