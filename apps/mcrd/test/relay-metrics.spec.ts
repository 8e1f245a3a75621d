// The relay series of /metrics as the contract declares them: counters, gauges for levels, output
// labels from the stored relay, leg labels, and nothing for a counter without a metric name.
import type { Relay } from '@mcr/model';
import type { Registry } from 'prom-client';
import { createRelayMetrics } from '../src/metrics/relay-metrics';
import { FakeEngine } from './support/fake-engine';
import { zeroLegCounters, zeroOutputCounters } from './support/zero-counters';

const RELAY: Relay = {
  id: 'r1',
  name: 'feed',
  enabled: true,
  revision: 1,
  input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
  outputs: [
    { interface: 'eth1', group: '239.2.2.2', port: 6000 },
    { interface: 'eth2', group: 'ff3e::2', port: 6001 },
  ],
};

function metricsOf(engine: FakeEngine): Registry {
  return createRelayMetrics({
    engine,
    statuses: () => new Map(),
    relays: () => new Map([[RELAY.id, RELAY]]),
    toHost: (relay) => relay,
    nodeId: 'n1',
    version: '0.0.0-test',
  });
}

async function scrape(engine: FakeEngine): Promise<string[]> {
  return (await metricsOf(engine).metrics()).split('\n').filter((line) => line.startsWith('mcr_relay_'));
}

describe('relay metrics', () => {
  let engine: FakeEngine;

  beforeEach(() => {
    engine = new FakeEngine();
    engine.addRelay({ id: RELAY.id, name: RELAY.name, input: RELAY.input, outputs: RELAY.outputs });
    engine.counters.set(RELAY.id, {
      packetsIn: 42n,
      rtpJitterUs: 125n,
      outputs: [zeroOutputCounters({ packets: 40n }), zeroOutputCounters({ packets: 2n })],
      legs: [zeroLegCounters({ legPackets: 30n }), zeroLegCounters({ legPackets: 12n })],
    });
  });

  it('exports a relay counter with its id and name', async () => {
    const lines = await scrape(engine);
    expect(lines).toContain('mcr_relay_packets_received_total{relay="r1",name="feed"} 42');
  });

  it('exports a level the contract marks as a gauge as a gauge', async () => {
    const text = (await scrape(engine)).join('\n');
    expect(text).toContain('mcr_relay_rtp_jitter_microseconds{relay="r1",name="feed"} 125');
    const registry = metricsOf(engine);
    expect((await registry.getSingleMetric('mcr_relay_rtp_jitter_microseconds')?.get())?.type).toBe('gauge');
    expect((await registry.getSingleMetric('mcr_relay_packets_received_total')?.get())?.type).toBe('counter');
  });

  it('labels each output with its index, interface and destination (IPv6 in brackets)', async () => {
    const lines = await scrape(engine);
    expect(lines).toContain(
      'mcr_relay_packets_forwarded_total{relay="r1",name="feed",output="0",interface="eth1",destination="239.2.2.2:6000"} 40',
    );
    expect(lines).toContain(
      'mcr_relay_packets_forwarded_total{relay="r1",name="feed",output="1",interface="eth2",destination="[ff3e::2]:6001"} 2',
    );
  });

  it('labels the legs of a redundant relay a and b', async () => {
    const lines = await scrape(engine);
    expect(lines).toContain('mcr_relay_leg_packets_received_total{relay="r1",name="feed",leg="a"} 30');
    expect(lines).toContain('mcr_relay_leg_packets_received_total{relay="r1",name="feed",leg="b"} 12');
  });

  it('exports no relay series once the engine is closed', async () => {
    engine.closed = true;
    expect((await scrape(engine)).filter((line) => line.startsWith('mcr_relay_packets'))).toEqual([]);
  });
});
