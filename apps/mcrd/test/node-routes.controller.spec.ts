// HTTP contract of the node-level routes: stats with rates, cluster, health (GET and HEAD),
// metrics, and Swagger (/docs, /docs-json equal to the committed openapi.json).
import fs, { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { COUNTERS, LEG_COUNTERS, OUTPUT_COUNTERS, RELAY_COUNTERS, dropReason, prometheusMetric } from '@mcr/contract';
import type { RelayStore } from '@mcr/store';
import { Lifecycle } from '../src/health/lifecycle.service';
import { Reconciler } from '../src/reconciler/reconciler.service';
import { RELAY_STORE } from '../src/tokens';
import { createTestApp, type TestApp } from './support/test-app';
import { zeroLegCounters, zeroOutputCounters } from './support/zero-counters';

const spec = {
  name: 'feed-a',
  input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
  outputs: [
    { interface: 'eth1', group: '239.2.2.2', port: 6000 },
    { interface: 'eth2', group: '239.2.2.3', port: 6000 },
  ],
};

describe('node routes', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows every contract counter in the relay stats and, where declared, in /metrics', async () => {
    const redundant = {
      ...spec,
      redundancy: { input: { interface: 'eth2', group: '239.1.2.1', port: 5000 }, mode: 'failover' },
    };
    const { id } = (await http().post('/api/v1/relays').send(redundant).expect(201)).body;
    const value = (name: string): bigint => BigInt(COUNTERS.findIndex((c) => c.name === name) + 1) * 7n;
    const relayCounts = Object.fromEntries(RELAY_COUNTERS.map(({ name }) => [name, value(name)]));
    const outputCounts = Object.fromEntries(OUTPUT_COUNTERS.map(({ name }) => [name, value(name)]));
    const legCounts = Object.fromEntries(LEG_COUNTERS.map(({ name }) => [name, value(name)]));
    t.engine.counters.set(id, {
      ...relayCounts,
      outputs: [zeroOutputCounters(outputCounts), zeroOutputCounters(outputCounts)],
      legs: [zeroLegCounters(), zeroLegCounters({ ...legCounts, silentForMs: 2500 })],
      activeLeg: 1,
    });
    const stats = (await http().get(`/api/v1/relays/${id}/stats`).expect(200)).body;
    const metrics = (await http().get('/metrics').expect(200)).text;
    const labels = `relay="${id}",name="feed-a"`;
    for (const counter of COUNTERS) {
      const count = Number(value(counter.name));
      const where = { output: stats.outputs[1], leg: stats.legs[1], drops: stats.drops, relay: stats }[counter.rest];
      expect({ [counter.name]: where[counter.name] }).toEqual({ [counter.name]: count });
      const metric = prometheusMetric(counter);
      const extraLabel = {
        output: ',output="1",interface="eth2",destination="239.2.2.3:6000"',
        leg: ',leg="b"',
        relay: '',
      }[counter.scope];
      if (metric !== undefined) expect(metrics).toContain(`${metric}{${labels}${extraLabel}} ${count}`);
      const reason = dropReason(counter);
      if (reason !== undefined) {
        const summed = counter.scope === 'output' ? 2 * count : count;
        expect(metrics).toContain(`mcr_relay_drops_total{${labels},reason="${reason}"} ${summed}`);
        if (counter.scope === 'output') expect(stats.drops[counter.name]).toBe(summed);
      }
    }
    expect(stats.activeLeg).toBe('b');
    expect(stats.legs.map((leg: { leg: string; interface: string }) => [leg.leg, leg.interface])).toEqual([
      ['a', 'eth0'],
      ['b', 'eth2'],
    ]);
    expect(stats.legs[1].silentForMs).toBe(2500);
    expect(metrics).toContain(`mcr_relay_leg_silent_seconds{${labels},leg="b"} 2.5`);
    expect(metrics).toContain(`mcr_relay_leg_active{${labels},leg="b"} 1`);
  });

  it('serves per-relay and node stats from the engine counters', async () => {
    const { id } = (await http().post('/api/v1/relays').send(spec).expect(201)).body;
    t.engine.counters.set(id, {
      packetsIn: 1000n,
      bytesIn: 1_316_000n,
      rxqOverflow: 3n,
      lastPacketAt: Date.UTC(2026, 10, 28),
      outputs: [
        zeroOutputCounters({ packets: 1000n, bytes: 1_316_000n, gsoDatagrams: 960n }),
        zeroOutputCounters({
          packets: 990n,
          bytes: 1_302_840n,
          sendErrors: 10n,
          sendErrorsByErrno: { ENETUNREACH: 10n },
          gsoFallbacks: 2n,
        }),
      ],
    });
    const one = await http().get(`/api/v1/relays/${id}/stats`).expect(200);
    expect(one.body).toMatchObject({
      id,
      name: 'feed-a',
      state: 'forwarding',
      packetsIn: 1000,
      bytesIn: 1_316_000,
      drops: { rxqOverflow: 3, sendErrors: 10 },
      lastPacketAt: '2026-11-28T00:00:00.000Z',
      packetsInPerSecond: expect.any(Number),
      bitsInPerSecond: expect.any(Number),
      rcvbufBytes: 8388608,
      interfacesDown: [],
    });
    expect(one.body).not.toHaveProperty('reason');
    expect(one.body.outputs[0]).toMatchObject({ index: 0, gsoDatagrams: 960, gsoFallbacks: 0 });
    expect(one.body.outputs[1]).toMatchObject({
      index: 1,
      interface: 'eth2',
      packets: 990,
      sendErrorsByErrno: { ENETUNREACH: 10 },
      gsoDatagrams: 0,
      gsoFallbacks: 2,
    });
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toContain(
      `mcr_relay_gso_datagrams_total{relay="${id}",name="feed-a",output="0",interface="eth1",destination="239.2.2.2:6000"} 960`,
    );
    expect(metrics).toContain(
      `mcr_relay_gso_fallbacks_total{relay="${id}",name="feed-a",output="1",interface="eth2",destination="239.2.2.3:6000"} 2`,
    );
    const node = await http().get('/api/v1/stats').expect(200);
    expect(node.body).toMatchObject({
      nodeId: 'test-node',
      role: 'active',
      totals: { relays: 1, packetsIn: 1000, packetsOut: 1990, drops: 13 },
    });
  });

  it('reports a relay whose interface is down as waiting, in stats and metrics', async () => {
    const { id } = (await http().post('/api/v1/relays').send(spec).expect(201)).body;
    t.engine.counters.set(id, { interfacesDown: ['eth1', 'eth2'] });
    const one = await http().get(`/api/v1/relays/${id}/stats`).expect(200);
    expect(one.body).toMatchObject({
      state: 'waiting',
      interfacesDown: ['eth1', 'eth2'],
      reason: 'waiting for interfaces eth1, eth2 (down or gone); resumes by itself when back',
    });
    const node = await http().get('/api/v1/stats').expect(200);
    expect(node.body.relays[0]).toMatchObject({ state: 'waiting', interfacesDown: ['eth1', 'eth2'] });
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toContain('mcr_relays{state="waiting"} 1');
    expect(metrics).toContain('mcr_relays{state="forwarding"} 0');
    expect(metrics).toContain(`mcr_relay_interface_down{relay="${id}",name="feed-a",interface="eth1"} 1`);
    expect(metrics).toContain(`mcr_relay_interface_down{relay="${id}",name="feed-a",interface="eth2"} 1`);
    t.engine.counters.set(id, { interfacesDown: [] });
    expect((await http().get(`/api/v1/relays/${id}/stats`).expect(200)).body).toMatchObject({
      state: 'forwarding',
      interfacesDown: [],
    });
    expect((await http().get('/metrics').expect(200)).text).not.toContain('mcr_relay_interface_down{');
  });

  it('reports the datapath of each relay, and why it runs on sockets, in stats and metrics', async () => {
    const { id } = (await http().post('/api/v1/relays').send(spec).expect(201)).body;
    expect((await http().get(`/api/v1/relays/${id}/stats`).expect(200)).body).toMatchObject({ datapath: 'socket' });
    expect((await http().get(`/api/v1/relays/${id}/stats`).expect(200)).body).not.toHaveProperty('datapathReason');
    const reason = "outputs[0].group: unicast destinations need the neighbour's MAC; the socket path sends them";
    t.engine.counters.set(id, { datapath: 'socket', datapathReason: reason });
    expect((await http().get(`/api/v1/relays/${id}/stats`).expect(200)).body).toMatchObject({
      datapath: 'socket',
      datapathReason: reason,
    });
    t.engine.counters.set(id, { datapath: 'ebpf' });
    const node = await http().get('/api/v1/stats').expect(200);
    expect(node.body.relays[0]).toMatchObject({ datapath: 'ebpf' });
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toContain(`mcr_relay_datapath{relay="${id}",name="feed-a",datapath="ebpf"} 1`);
  });

  it('describes a single-node cluster as active', async () => {
    const res = await http().get('/api/v1/cluster').expect(200);
    expect(res.body).toEqual({
      nodeId: 'test-node',
      role: 'active',
      leader: 'test-node',
      placement: 'node',
      members: [
        {
          nodeId: 'test-node',
          role: 'active',
          maintenance: false,
          lastSeen: expect.any(String),
          liveInputs: null,
          owns: null,
        },
      ],
      owners: null,
    });
  });

  it('answers health checks with the status code, on GET and HEAD', async () => {
    for (const path of ['/livez', '/readyz', '/healthz', '/healthz/active']) {
      await http().get(path).expect(200);
      await http().head(path).expect(200);
    }
    expect((await http().get('/healthz')).body.info.role).toEqual({ status: 'up', role: 'active' });
    expect((await http().get('/healthz')).body.info.inputs).toEqual({ status: 'up' }); // alone: no peer to compare
    t.engine.role = 'standby';
    await http().get('/healthz').expect(200);
    const active = await http().get('/healthz/active').expect(503);
    expect(active.body.error.role).toMatchObject({ status: 'down', role: 'standby' });
    await http().head('/healthz/active').expect(503);
  });

  it('with the store unreachable: not ready and not healthy, but /healthz/active follows forwarding alone', async () => {
    const store = t.app.get<RelayStore>(RELAY_STORE);
    jest.spyOn(store, 'list').mockRejectedValue(new Error('etcd store etcd://10.0.0.1:2379 is unavailable'));
    expect((await http().get('/readyz').expect(503)).body.error.store).toMatchObject({
      status: 'down',
      message: expect.stringContaining('unavailable'),
    });
    await http().get('/healthz').expect(503);
    await http().get('/healthz/active').expect(200); // fail-static: the active still forwards
    t.engine.role = 'standby';
    await http().get('/healthz/active').expect(503);
  });

  it('is neither ready nor healthy while relays fail for want of file descriptors, and says so', async () => {
    t.engine.descriptorsExhausted = true;
    await http().post('/api/v1/relays').send(spec).expect(201);
    for (const path of ['/readyz', '/healthz']) {
      expect((await http().get(path).expect(503)).body.error.sockets).toMatchObject({
        status: 'down',
        errno: 'EMFILE',
        message: expect.stringContaining('cannot open sockets: 1 relay failed with EMFILE'),
      });
    }
    t.engine.descriptorsExhausted = false;
    t.app.get(Reconciler).retryFailed();
    await http().get('/readyz').expect(200);
    await http().get('/healthz').expect(200);
  });

  it('is neither ready nor healthy while the process cannot open a file descriptor', async () => {
    const tooMany = Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
    const open = jest.spyOn(fs, 'openSync').mockImplementation(() => {
      throw tooMany;
    });
    try {
      expect((await http().get('/healthz').expect(503)).body.error.sockets).toMatchObject({
        status: 'down',
        errno: 'EMFILE',
        message: expect.stringContaining('cannot open sockets: no file descriptor left (EMFILE)'),
      });
    } finally {
      open.mockRestore();
    }
    await http().get('/healthz').expect(200);
  });

  it('exposes Prometheus metrics read from the engine at scrape time', async () => {
    const { id } = (await http().post('/api/v1/relays').send(spec).expect(201)).body;
    t.engine.counters.set(id, { packetsIn: 42n, bytesIn: 4200n, truncated: 2n });
    const res = await http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain(`mcr_relay_packets_received_total{relay="${id}",name="feed-a"} 42`);
    expect(res.text).toContain(`mcr_relay_bytes_received_total{relay="${id}",name="feed-a"} 4200`);
    expect(res.text).toContain(
      `mcr_relay_packets_forwarded_total{relay="${id}",name="feed-a",output="1",interface="eth2",destination="239.2.2.3:6000"} 0`,
    );
    expect(res.text).toContain(`mcr_relay_drops_total{relay="${id}",name="feed-a",reason="truncated"} 2`);
    expect(res.text).toContain('mcr_relays{state="forwarding"} 1');
    expect(res.text).toContain('mcr_node_role{role="active"} 1');
    expect(res.text).toMatch(/mcr_build_info\{version="[^"]+",node="test-node"\} 1/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    // A single node never fails over, but every reason's series is there at 0 for rate() and alerts.
    for (const reason of ['leader_key_free', 'switchover', 'input_liveness', 'fencing_lifted']) {
      expect(res.text).toContain(`mcr_failovers_total{reason="${reason}"} 0`);
    }
  });

  it('labels output series with the interface (MCR_INTERFACE_MAP applied) and destination', async () => {
    await t.close();
    t = await createTestApp({ interfaceMap: 'eth2=wg0' });
    const v6 = { ...spec, outputs: [{ interface: 'eth2', group: 'ff3e::2', port: 6000 }] };
    const { id } = (await http().post('/api/v1/relays').send(v6).expect(201)).body;
    const res = await http().get('/metrics').expect(200);
    expect(res.text).toContain(
      `mcr_relay_packets_forwarded_total{relay="${id}",name="feed-a",output="0",interface="wg0",destination="[ff3e::2]:6000"} 0`,
    );
  });

  it("exports each relay's state: 1 for its state, 0 for the others, named for alerts", async () => {
    const { id } = (await http().post('/api/v1/relays').send(spec).expect(201)).body;
    const off = { ...spec, name: 'feed-off', enabled: false, input: { ...spec.input, port: 5001 } };
    const disabled = (await http().post('/api/v1/relays').send(off).expect(201)).body.id;
    const res = await http().get('/metrics').expect(200);
    const states = (relay: string, name: string) =>
      Object.fromEntries(
        [
          ...res.text.matchAll(
            new RegExp(`^mcr_relay_state\\{relay="${relay}",name="${name}",state="(\\w+)"\\} (\\d)$`, 'gm'),
          ),
        ].map((m) => [m[1], Number(m[2])]),
      );
    expect(states(id, 'feed-a')).toEqual({
      pending: 0,
      forwarding: 1,
      standby: 0,
      waiting: 0,
      disabled: 0,
      failed: 0,
    });
    expect(states(disabled, 'feed-off')).toMatchObject({ disabled: 1, forwarding: 0 });
  });

  it('serves Swagger UI at /docs and the committed document at /docs-json', async () => {
    const ui = await http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
    const json = await http().get('/docs-json').expect(200);
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(json.body).toEqual(committed);
  });
});

describe('shutdown', () => {
  it('turns readiness to 503 as soon as shutdown starts, while liveness stays 200', async () => {
    const t = await createTestApp();
    const http = () => request(t.app.getHttpServer());
    await http().get('/readyz').expect(200);
    t.app.get(Lifecycle).beforeApplicationShutdown('SIGTERM');
    const res = await http().get('/readyz').expect(503);
    expect(res.body.error.lifecycle).toEqual({ status: 'down', message: 'shutting down' });
    await http().get('/healthz/active').expect(503);
    await http().get('/livez').expect(200);
    await t.close();
    expect(t.engine.closed).toBe(true);
  });
});
