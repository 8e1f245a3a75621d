// The diagnostics checks against fake host facts: each condition named by its code, with the
// interface, address or setting in the message and what to change; a healthy relay has none.
import type { RelaySpec } from '@mcr/model';
import { diagnoseRelay, hostQueryFor, SILENT_AFTER_MS, type RelayFactsForDiagnosis } from '../src/diagnostics/diagnose';
import { routeViaKey, type HostSnapshot } from '../src/diagnostics/host-facts';
import type { RelayStatus } from '../src/reconciler/relay-state';

const NOW = 1_800_000_000_000;

const spec = (overrides: Partial<RelaySpec> = {}): RelaySpec => ({
  name: 'feed',
  input: { interface: 'in0', group: '239.1.1.1', port: 5000 },
  outputs: [{ interface: 'out0', group: '239.2.2.2', port: 6000 }],
  ...overrides,
});

function healthyHost(overrides: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    links: new Map([
      ['in0', { up: true }],
      ['out0', { up: true }],
      ['out1', { up: true }],
    ]),
    routesBack: new Map([['10.0.0.5', { device: 'in0', gateway: '10.77.1.2' }]]),
    routesVia: new Map([[routeViaKey('10.77.2.9', 'out0'), { device: 'out0' }]]),
    neighbours: [{ address: '10.77.2.9', device: 'out0', states: ['REACHABLE'] }],
    rpFilter: new Map([['in0', 0]]),
    reversePathFilterDrops: 0,
    ...overrides,
  };
}

function diagnose(
  relay: RelaySpec,
  host: HostSnapshot,
  status: RelayStatus = { state: 'forwarding' },
  lastPacketAt: number | null = NOW - 100,
) {
  const facts: RelayFactsForDiagnosis = { spec: relay, status, lastPacketAt, nowMs: NOW };
  return diagnoseRelay(facts, host);
}

const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

describe('relay diagnostics', () => {
  it('finds nothing wrong with a healthy relay that receives', () => {
    const ssm = spec({ input: { interface: 'in0', group: '232.1.1.1', port: 5000, sources: ['10.0.0.5'] } });
    expect(diagnose(ssm, healthyHost({ rpFilter: new Map([['in0', 1]]) }))).toEqual([]);
  });

  it("names the engine's refusal", () => {
    const [refused] = diagnose(spec(), healthyHost(), {
      state: 'failed',
      reason: "input.interface 'in9': no such device",
    });
    expect(refused).toMatchObject({ code: 'engine-refused', severity: 'error' });
    expect(refused.message).toContain("input.interface 'in9': no such device");
  });

  it('names a missing or down input interface and a missing output interface', () => {
    const links = new Map([['in0', { up: false }]]);
    const findings = diagnose(spec(), healthyHost({ links }));
    expect(codes(findings)).toEqual(['input-interface-down', 'output-interface-missing']);
    expect(findings[0].action).toBe('bring it up: ip link set in0 up');
    expect(codes(diagnose(spec(), healthyHost({ links: new Map([['out0', { up: true }]]) })))).toEqual([
      'input-interface-missing',
    ]);
  });

  it('names strict rp_filter when the route back to an SSM source leaves by another interface', () => {
    const ssm = spec({ input: { interface: 'in0', group: '232.1.1.1', port: 5000, sources: ['10.0.0.5'] } });
    const host = healthyHost({
      routesBack: new Map([['10.0.0.5', { device: 'in1' }]]),
      rpFilter: new Map([['in0', 1]]),
      reversePathFilterDrops: 42,
    });
    const [strict] = diagnose(ssm, host);
    expect(strict).toMatchObject({ code: 'rp-filter-strict', severity: 'error' });
    expect(strict.message).toContain('net.ipv4.conf.{all,in0}.rp_filter, effective 1');
    expect(strict.message).toContain('leaves by in1, not in0');
    expect(strict.message).toContain('dropped 42 datagrams by reverse path (IPReversePathFilter)');
    expect(strict.action).toContain('net.ipv4.conf.in0.rp_filter=2');
    // Loose filtering accepts any route back.
    expect(diagnose(ssm, { ...host, rpFilter: new Map([['in0', 2]]) })).toEqual([]);
  });

  it('names an SSM source with no route back: an error under rp_filter, a warning without', () => {
    const ssm = spec({ input: { interface: 'in0', group: '232.1.1.1', port: 5000, sources: ['10.9.9.9'] } });
    const [filtered] = diagnose(ssm, healthyHost({ rpFilter: new Map([['in0', 2]]) }));
    expect(filtered).toMatchObject({ code: 'source-unroutable', severity: 'error' });
    expect(filtered.message).toContain('10.9.9.9 has no route back');
    const [unfiltered] = diagnose(ssm, healthyHost());
    expect(unfiltered).toMatchObject({ code: 'source-unroutable', severity: 'warning' });
  });

  it('names a unicast output whose next hop does not answer, and one with no route', () => {
    const unicast = spec({ outputs: [{ interface: 'out0', group: '10.77.2.9', port: 6000 }] });
    const failed = healthyHost({ neighbours: [{ address: '10.77.2.9', device: 'out0', states: ['FAILED'] }] });
    const [unreachable] = diagnose(unicast, failed);
    expect(unreachable).toMatchObject({ code: 'output-neighbour-unreachable', severity: 'error' });
    expect(unreachable.message).toContain('outputs[0]: next hop 10.77.2.9 on out0 is FAILED');
    // Through a gateway, the gateway is the neighbour that must answer.
    const routed = healthyHost({
      routesVia: new Map([[routeViaKey('10.77.2.9', 'out0'), { device: 'out0', gateway: '10.77.2.1' }]]),
      neighbours: [{ address: '10.77.2.1', device: 'out0', states: ['INCOMPLETE'] }],
    });
    expect(diagnose(unicast, routed)[0].message).toContain('next hop 10.77.2.1 on out0 is INCOMPLETE');
    expect(codes(diagnose(unicast, healthyHost({ routesVia: new Map() })))).toEqual(['output-unroutable']);
  });

  it('names an armed relay that receives nothing, and reverse-path drops when its input filters', () => {
    expect(codes(diagnose(spec(), healthyHost(), { state: 'standby' }, NOW - SILENT_AFTER_MS + 1))).toEqual([]);
    const [silent] = diagnose(spec(), healthyHost(), { state: 'forwarding' }, NOW - 30_000);
    expect(silent).toMatchObject({ code: 'input-silent', severity: 'warning' });
    expect(silent.message).toContain('has received nothing for 30 s on in0 (239.1.1.1:5000)');
    const filtering = healthyHost({ rpFilter: new Map([['in0', 1]]), reversePathFilterDrops: 7 });
    expect(codes(diagnose(spec(), filtering, { state: 'forwarding' }, null))).toEqual([
      'input-silent',
      'rp-filter-drops',
    ]);
    // A relay waiting for its interface is not "silent": the interface check says why.
    expect(codes(diagnose(spec(), healthyHost(), { state: 'waiting', reason: 'waiting' }, null))).toEqual([]);
  });

  it('says when analyze auto has nothing to count because the relay runs on the eBPF datapath', () => {
    const onEbpf = (relay: RelaySpec) =>
      diagnoseRelay(
        { spec: relay, status: { state: 'forwarding' }, lastPacketAt: NOW - 100, nowMs: NOW, datapath: 'ebpf' },
        healthyHost(),
      );
    const [skipped] = onEbpf(spec());
    expect(skipped).toMatchObject({ code: 'analysis-skipped-ebpf', severity: 'info' });
    expect(skipped.message).toContain('analyze auto');
    expect(onEbpf(spec({ analyze: 'off' }))).toEqual([]);
    // On sockets, or not running here, the analysis runs as configured.
    expect(
      codes(
        diagnoseRelay(
          { spec: spec(), status: { state: 'forwarding' }, lastPacketAt: NOW - 100, nowMs: NOW, datapath: 'socket' },
          healthyHost(),
        ),
      ),
    ).toEqual([]);
    expect(codes(diagnose(spec(), healthyHost()))).toEqual([]);
  });

  it('checks nothing on the host for a disabled relay', () => {
    expect(codes(diagnose(spec(), healthyHost({ links: new Map() }), { state: 'disabled' }))).toEqual([
      'relay-disabled',
    ]);
  });

  it('asks the host only about enabled relays: their sources, unicast outputs and IPv4 inputs', () => {
    const query = hostQueryFor([
      spec({
        input: { interface: 'in0', group: '232.1.1.1', port: 5000, sources: ['10.0.0.5'] },
        outputs: [
          { interface: 'out0', group: '239.2.2.2', port: 6000 },
          { interface: 'out1', group: '10.77.3.9', port: 6000 },
        ],
      }),
      spec({ enabled: false, input: { interface: 'in1', group: '232.1.1.2', port: 5000, sources: ['10.0.0.6'] } }),
      spec({ input: { interface: 'in2', group: 'ff3e::1', port: 5000 } }),
    ]);
    expect(query).toEqual({
      routesBack: ['10.0.0.5'],
      routesVia: [{ address: '10.77.3.9', device: 'out1' }],
      rpFilterDevices: ['in0'],
    });
  });
});
