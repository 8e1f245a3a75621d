// The B leg of a redundant relay: its validation (every problem named by its field), defaults
// after normalisation, its place among the relay's ingresses, loops through it, interface maps
// and rules files.
import {
  applyInterfaceMap,
  findLegClash,
  findLoops,
  formatRulesFile,
  ingressesOf,
  normalizeRelaySpec,
  parseRulesFile,
  RulesFileError,
  validateRelaySpec,
  type RelaySpec,
} from '../src';

const legB = { interface: 'eth2', group: '239.1.2.1', port: 5000, sources: ['10.2.0.5'] };
const spec = (redundancy: unknown): RelaySpec =>
  ({
    name: 'feed-ab',
    input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
    outputs: [{ interface: 'eth1', group: '239.9.9.9', port: 5000 }],
    redundancy,
  }) as RelaySpec;

describe('redundancy', () => {
  it('accepts a merge and a failover B leg, IPv6 beside an IPv4 input', () => {
    expect(validateRelaySpec(spec({ input: legB, mode: 'merge', key: 'payload', windowMs: 1000 }))).toEqual([]);
    const v6 = { interface: 'eth2', group: 'ff3e::1', port: 6000 };
    expect(validateRelaySpec(spec({ input: v6, mode: 'failover', lossMs: 200, revertMs: 5000 }))).toEqual([]);
  });

  it.each([
    [{ input: legB }, 'redundancy.mode is required'],
    [{ input: legB, mode: 'both' }, "redundancy.mode must be 'merge' or 'failover', got 'both'"],
    [{ input: legB, mode: 'merge', key: 'crc' }, "redundancy.key must be 'rtp' or 'payload', got 'crc'"],
    [{ input: legB, mode: 'merge', windowMs: 0 }, 'redundancy.windowMs must be an integer 1..1000, got 0'],
    [{ input: legB, mode: 'merge', windowMs: 1001 }, 'redundancy.windowMs must be an integer 1..1000, got 1001'],
    [{ input: legB, mode: 'failover', lossMs: 5 }, 'redundancy.lossMs must be an integer 10..60000, got 5'],
    [{ input: legB, mode: 'failover', revertMs: -1 }, 'redundancy.revertMs must be an integer 0..3600000, got -1'],
    [{ mode: 'merge' }, 'redundancy.input is required'],
    [{ input: { ...legB, port: 0 }, mode: 'merge' }, 'redundancy.input.port must be an integer 1..65535, got 0'],
    [{ input: { ...legB, sources: ['ff3e::5'] }, mode: 'merge' }, "redundancy.input.sources[0] 'ff3e::5'"],
    [{ input: legB, mode: 'merge', extra: 1 }, 'redundancy.extra is not a known field'],
    ['merge', "redundancy must be an object, got 'merge'"],
  ])('refuses %j naming the field', (redundancy, message) => {
    expect(validateRelaySpec(spec(redundancy)).join('\n')).toContain(message);
  });

  it('fills every setting in when normalising, and keeps them as given', () => {
    expect(normalizeRelaySpec(spec({ input: legB, mode: 'merge' })).redundancy).toEqual({
      input: legB,
      mode: 'merge',
      key: 'rtp',
      windowMs: 50,
      lossMs: 100,
      revertMs: 0,
    });
    expect(normalizeRelaySpec(spec({ input: legB, mode: 'failover', lossMs: 250 })).redundancy?.lossMs).toBe(250);
    expect(normalizeRelaySpec(spec(undefined))).not.toHaveProperty('redundancy');
  });

  it('lists both legs as the ingresses of the relay', () => {
    expect(ingressesOf(spec({ input: legB, mode: 'merge' })).map((ingress) => ingress.field)).toEqual([
      'input',
      'redundancy.input',
    ]);
    expect(ingressesOf(spec(undefined))).toHaveLength(1);
  });

  it('finds a B leg equal to the input, across address spellings', () => {
    const same = spec({ input: { interface: 'eth0', group: '::ffff:239.1.1.1', port: 5000 }, mode: 'merge' });
    expect(findLegClash(same)).toEqual([
      'redundancy.input (eth0 [::ffff:239.1.1.1]:5000) must be a different ingress than input (interface, group, port and sources)',
    ]);
    expect(findLegClash(spec({ input: legB, mode: 'merge' }))).toEqual([]);
  });

  it("finds an output sent into its own B leg or another relay's B leg", () => {
    const own = { ...spec({ input: legB, mode: 'merge' }), outputs: [{ ...legB, sources: undefined }] };
    expect(findLoops(own, [])).toEqual([
      "outputs[0] (eth2 239.1.2.1:5000) is this relay's own B-leg ingress (redundancy.input): it would loop",
    ]);
    const other = {
      ...spec(undefined),
      name: 'other',
      input: { interface: 'eth5', group: '239.5.5.5', port: 1 },
      outputs: [{ interface: 'eth2', group: '239.1.2.1', port: 5000 }],
    };
    expect(findLoops(other, [spec({ input: legB, mode: 'merge' })])).toEqual([
      "outputs[0] (eth2 239.1.2.1:5000) is the ingress of relay 'feed-ab': it would loop",
    ]);
  });

  it('maps the B leg interface through MCR_INTERFACE_MAP', () => {
    const mapped = applyInterfaceMap(spec({ input: legB, mode: 'merge' }), new Map([['eth2', 'ens7']]));
    expect(mapped.redundancy?.input.interface).toBe('ens7');
  });

  it('round-trips through a rules file and refuses a B leg duplicated by another rule', () => {
    const relays = [spec({ input: legB, mode: 'failover', revertMs: 3000 })];
    expect(parseRulesFile(formatRulesFile(relays)).rules).toEqual(relays.map(normalizeRelaySpec));
    const clash = {
      ...spec(undefined),
      name: 'b',
      input: legB,
      outputs: [{ interface: 'eth1', group: '239.9.9.8', port: 5000 }],
    };
    expect(() => parseRulesFile(formatRulesFile([...relays, clash]))).toThrow(RulesFileError);
    try {
      parseRulesFile(formatRulesFile([...relays, clash]));
    } catch (error) {
      expect((error as RulesFileError).messages).toEqual([
        'rules[1] (b): input (eth2 239.1.2.1:5000) duplicates the ingress of rules[0] (feed-ab)',
      ]);
    }
  });
});
