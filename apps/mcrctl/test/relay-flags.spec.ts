// The `add` flag syntax: what operators type becomes the exact RelaySpec, and every mistake is
// a UsageError naming the flag and the value.
import { parseIngressFlag, parseOutputFlag, relaySpecFromFlags } from '../src/relay-flags';
import { UsageError } from '../src/usage-error';

describe('parseIngressFlag', () => {
  it.each([
    ['eth0:239.1.1.1:5000', [], { interface: 'eth0', group: '239.1.1.1', port: 5000 }],
    ['lo:127.0.0.1:41000', [], { interface: 'lo', group: '127.0.0.1', port: 41000 }],
    ['eth0:[ff3e::1]:5000', [], { interface: 'eth0', group: 'ff3e::1', port: 5000 }],
    [
      'eth0:232.1.1.1:5000',
      ['10.0.0.5', '10.0.0.6,10.0.0.7'],
      { interface: 'eth0', group: '232.1.1.1', port: 5000, sources: ['10.0.0.5', '10.0.0.6', '10.0.0.7'] },
    ],
    [
      'eth0:[ff3e::1]:5000',
      ['2001:db8::5'],
      { interface: 'eth0', group: 'ff3e::1', port: 5000, sources: ['2001:db8::5'] },
    ],
  ])('%s with sources %j', (text, sources, expected) => {
    expect(parseIngressFlag(text, sources)).toEqual(expected);
  });

  it.each([
    ['eth0:239.1.1.1', "--in 'eth0:239.1.1.1': expected INTERFACE:ADDRESS:PORT"],
    [':239.1.1.1:5000', "--in ':239.1.1.1:5000': interface name is empty"],
    ['eth0:239.1.1:5000', "--in 'eth0:239.1.1:5000': address '239.1.1' is not an IPv4 or IPv6 address"],
    ['eth0:239.1.1.1:0', "--in 'eth0:239.1.1.1:0': port must be an integer 1..65535, got '0'"],
    ['eth0:239.1.1.1:65536', "--in 'eth0:239.1.1.1:65536': port must be an integer 1..65535, got '65536'"],
    ['eth0:239.1.1.1:50x', "--in 'eth0:239.1.1.1:50x': port must be an integer 1..65535, got '50x'"],
    ['eth0:ff3e::1:5000', "--in 'eth0:ff3e::1:5000': write IPv6 addresses in brackets: eth0:[ff3e::1]:5000"],
    ['eth0:[ff3e::1:5000', "--in 'eth0:[ff3e::1:5000': unbalanced [ ] around an IPv6 address"],
    ['eth0:239.1.1.1:5000:ttl=3', "--in 'eth0:239.1.1.1:5000:ttl=3': unknown option 'ttl=3' (no options are allowed)"],
  ])('rejects %s', (text, message) => {
    expect(() => parseIngressFlag(text)).toThrow(new UsageError(message));
  });

  it('rejects a source that is not an address, naming --source and the value', () => {
    expect(() => parseIngressFlag('eth0:232.1.1.1:5000', ['10.0.0'])).toThrow(
      "--source '10.0.0': not an IPv4 or IPv6 address",
    );
  });
});

describe('parseOutputFlag', () => {
  it.each([
    ['eth1:239.2.2.2:6000', { interface: 'eth1', group: '239.2.2.2', port: 6000 }],
    ['eth1:239.2.2.2:6000:ttl=16:dscp=46', { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16, dscp: 46 }],
    ['eth1:239.2.2.2:6000:ondemand=on', { interface: 'eth1', group: '239.2.2.2', port: 6000, onDemand: true }],
    [
      'eth1:239.2.2.2:6000:dscp=0:ttl=inherit',
      { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 'inherit', dscp: 0 },
    ],
    [
      'wg0:10.100.0.2:6000:source=10.100.0.1',
      { interface: 'wg0', group: '10.100.0.2', port: 6000, source: '10.100.0.1' },
    ],
    [
      'eth1:[ff3e::2]:6000:source=[2001:db8::1]:ttl=255',
      { interface: 'eth1', group: 'ff3e::2', port: 6000, source: '2001:db8::1', ttl: 255 },
    ],
  ])('%s', (text, expected) => {
    expect(parseOutputFlag(text)).toEqual(expected);
  });

  it.each([
    ['eth1:239.2.2.2:6000:ttl=0', "ttl must be an integer 1..255 or 'inherit', got '0'"],
    ['eth1:239.2.2.2:6000:ttl=256', "ttl must be an integer 1..255 or 'inherit', got '256'"],
    ['eth1:239.2.2.2:6000:ttl=', "ttl must be an integer 1..255 or 'inherit', got ''"],
    ['eth1:239.2.2.2:6000:dscp=64', "dscp must be an integer 0..63, got '64'"],
    ['eth1:239.2.2.2:6000:dscp=ef', "dscp must be an integer 0..63, got 'ef'"],
    ['eth1:239.2.2.2:6000:source=vip', "source 'vip' is not an IPv4 or IPv6 address"],
    ['eth1:239.2.2.2:6000:source=2001:db8::1', 'write an IPv6 source in brackets: source=[2001:db8::1]'],
    ['eth1:239.2.2.2:6000:ttl=2:ttl=3', "option 'ttl' is given twice"],
    ['eth1:239.2.2.2:6000:tos=4', "unknown option 'tos=4' (options are ttl=, dscp=, source=, ondemand=)"],
    ['eth1:239.2.2.2:6000:ondemand=yes', "ondemand must be on or off, got 'yes'"],
  ])('rejects %s', (text, problem) => {
    expect(() => parseOutputFlag(text)).toThrow(new UsageError(`--out '${text}': ${problem}`));
  });
});

describe('relaySpecFromFlags', () => {
  it('builds the whole spec, disabled when asked', () => {
    expect(
      relaySpecFromFlags({
        name: 'market-feed-a',
        in: 'eth0:239.1.1.1:5000',
        source: ['10.0.0.5'],
        out: ['eth1:239.2.2.2:6000:ttl=16:dscp=46', 'wg0:10.100.0.2:6000'],
        disabled: true,
      }),
    ).toEqual({
      name: 'market-feed-a',
      enabled: false,
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000, sources: ['10.0.0.5'] },
      outputs: [
        { interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16, dscp: 46 },
        { interface: 'wg0', group: '10.100.0.2', port: 6000 },
      ],
    });
  });

  it("takes --analyze as the relay's analyze and refuses an unknown mode, naming the flag", () => {
    const flags = { name: 'a', in: 'lo:127.0.0.1:41000', out: ['lo:127.0.0.1:41001'] };
    expect(relaySpecFromFlags({ ...flags, analyze: 'ts' }).analyze).toBe('ts');
    expect(relaySpecFromFlags(flags)).not.toHaveProperty('analyze');
    expect(() => relaySpecFromFlags({ ...flags, analyze: 'mpeg' })).toThrow(
      "--analyze must be 'auto', 'rtp', 'ts' or 'off', got 'mpeg'",
    );
  });

  it('leaves enabled to the service default when --disabled is absent', () => {
    const spec = relaySpecFromFlags({ name: 'a', in: 'lo:127.0.0.1:41000', out: ['lo:127.0.0.1:41001'] });
    expect(spec).not.toHaveProperty('enabled');
  });

  it.each([
    [{ in: 'eth0:239.1.1.1:5000', out: ['eth1:239.2.2.2:6000'] }, /^--name is required/],
    [{ name: '  ', in: 'eth0:239.1.1.1:5000', out: ['eth1:239.2.2.2:6000'] }, /^--name is required/],
    [{ name: 'a', out: ['eth1:239.2.2.2:6000'] }, /^--in is required/],
    [{ name: 'a', in: 'eth0:239.1.1.1:5000' }, /^at least one --out is required/],
  ])('names the missing flag: %j', (flags, message) => {
    expect(() => relaySpecFromFlags(flags)).toThrow(message);
  });
});

describe('--preferred-node', () => {
  const base = { name: 'a', in: 'lo:127.0.0.1:41000', out: ['lo:127.0.0.1:41001'] };

  it('sets preferredNode on the spec', () => {
    expect(relaySpecFromFlags({ ...base, preferredNode: 'mcr-b' }).preferredNode).toBe('mcr-b');
    expect(relaySpecFromFlags(base)).not.toHaveProperty('preferredNode');
  });

  it('refuses a node id MCR_NODE_ID would refuse, naming the flag', () => {
    expect(() => relaySpecFromFlags({ ...base, preferredNode: 'mcr/b' })).toThrow(
      "--preferred-node 'mcr/b': a node id must be 1..63 characters of letters, digits",
    );
  });
});
