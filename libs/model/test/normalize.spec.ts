// normalizeRelaySpec: defaults filled, addresses canonical, fixed key order, optional lists dropped.
import { normalizeRelaySpec } from '../src/normalize';
import type { RelaySpec } from '../src/relay';
import { validSpec } from './fixtures';

describe('normalizeRelaySpec', () => {
  it('fills enabled, ttl and dscp defaults and keeps given values', () => {
    const normalized = normalizeRelaySpec(validSpec());
    expect(normalized).toEqual({
      name: 'market-feed-a',
      enabled: true,
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000, sources: ['10.0.0.5'] },
      outputs: [
        { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16, dscp: 46 },
        { interface: 'wg0', group: '10.100.0.2', port: 6000, ttl: 1, dscp: 0 },
      ],
    });
  });

  it('keeps onDemand only when true, so relays stored before it read back the same', () => {
    const spec = validSpec();
    spec.outputs[0].onDemand = true;
    spec.outputs[1].onDemand = false;
    const normalized = normalizeRelaySpec(spec);
    expect(normalized.outputs[0].onDemand).toBe(true);
    expect(normalized.outputs[1]).not.toHaveProperty('onDemand');
  });

  it('keeps enabled false and ttl inherit', () => {
    const spec: RelaySpec = { ...validSpec(), enabled: false };
    spec.outputs[0].ttl = 'inherit';
    const normalized = normalizeRelaySpec(spec);
    expect(normalized.enabled).toBe(false);
    expect(normalized.outputs[0].ttl).toBe('inherit');
  });

  it('canonicalises every address', () => {
    const normalized = normalizeRelaySpec({
      name: 'v6',
      input: { interface: 'eth0', group: 'FF3E:0::1', port: 5000, sources: ['2001:DB8:0::5'] },
      outputs: [{ interface: 'eth1', group: 'FF3E::0:2', port: 6000, source: '2001:DB8::0:7' }],
    });
    expect(normalized.input.group).toBe('ff3e::1');
    expect(normalized.input.sources).toEqual(['2001:db8::5']);
    expect(normalized.outputs[0].group).toBe('ff3e::2');
    expect(normalized.outputs[0].source).toBe('2001:db8::7');
  });

  it('stores IPv4-mapped IPv6 addresses as the IPv4 address they map, in either spelling', () => {
    const normalized = normalizeRelaySpec({
      name: 'mapped',
      input: { interface: 'eth0', group: '::ffff:239.1.1.1', port: 5000, sources: ['::FFFF:a00:5'] },
      outputs: [{ interface: 'eth1', group: '::ffff:ef02:202', port: 6000, source: '::ffff:10.0.0.7' }],
    });
    expect(normalized.input.group).toBe('239.1.1.1');
    expect(normalized.input.sources).toEqual(['10.0.0.5']);
    expect(normalized.outputs[0].group).toBe('239.2.2.2');
    expect(normalized.outputs[0].source).toBe('10.0.0.7');
  });

  it('drops an empty source list and absent optional fields, and unknown fields', () => {
    const spec = { ...validSpec(), id: 'x', revision: 3 } as RelaySpec;
    spec.input.sources = [];
    const normalized = normalizeRelaySpec(spec);
    expect('sources' in normalized.input).toBe(false);
    expect('source' in normalized.outputs[0]).toBe(false);
    expect(Object.keys(normalized)).toEqual(['name', 'enabled', 'input', 'outputs']);
  });

  it('uses one key order whatever order the client used, and is idempotent', () => {
    const shuffled = JSON.parse(
      '{"outputs":[{"dscp":46,"port":6000,"group":"239.2.2.2","interface":"eth1"}],' +
        '"input":{"port":5000,"group":"239.1.1.1","interface":"eth0"},"name":"n"}',
    ) as RelaySpec;
    const normalized = normalizeRelaySpec(shuffled);
    expect(JSON.stringify(normalized)).toBe(
      '{"name":"n","enabled":true,"input":{"interface":"eth0","group":"239.1.1.1","port":5000},' +
        '"outputs":[{"interface":"eth1","group":"239.2.2.2","port":6000,"ttl":1,"dscp":46}]}',
    );
    expect(JSON.stringify(normalizeRelaySpec(normalized))).toBe(JSON.stringify(normalized));
  });

  it('keeps preferredNode after the outputs and omits it when absent', () => {
    const normalized = normalizeRelaySpec({ ...validSpec(), preferredNode: 'mcr-b' });
    expect(Object.keys(normalized).at(-1)).toBe('preferredNode');
    expect(normalized.preferredNode).toBe('mcr-b');
    expect(normalizeRelaySpec(validSpec())).not.toHaveProperty('preferredNode');
  });

  it('keeps analyze only when not the default, so relays stored before it read back the same', () => {
    expect(normalizeRelaySpec(validSpec())).not.toHaveProperty('analyze');
    expect(normalizeRelaySpec({ ...validSpec(), analyze: 'auto' })).not.toHaveProperty('analyze');
    expect(normalizeRelaySpec({ ...validSpec(), analyze: 'off' }).analyze).toBe('off');
  });
});
