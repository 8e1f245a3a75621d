// ingressKey: equal for inputs that receive the same datagrams, different otherwise.
import { ingressKey } from '../src/ingress-key';

const base = { interface: 'eth0', group: '239.1.1.1', port: 5000 };

describe('ingressKey', () => {
  it.each([
    ['IPv6 spelling', { ...base, group: 'FF3E:0::1' }, { ...base, group: 'ff3e::1' }],
    [
      'source order and spelling',
      { ...base, group: 'ff3e::1', sources: ['2001:db8::2', '2001:DB8::1'] },
      { ...base, group: 'ff3e::1', sources: ['2001:db8::1', '2001:db8:0::2'] },
    ],
    ['absent vs empty sources', { ...base }, { ...base, sources: [] }],
    ['IPv4-mapped group', { ...base, group: '::ffff:239.1.1.1' }, { ...base }],
    ['IPv4-mapped group in hex', { ...base, group: '::ffff:ef01:101' }, { ...base }],
    ['IPv4-mapped sources', { ...base, sources: ['::ffff:10.0.0.5'] }, { ...base, sources: ['10.0.0.5'] }],
  ])('is the same across %s', (_, a, b) => {
    expect(ingressKey(a)).toBe(ingressKey(b));
  });

  it.each([
    ['interface', { ...base, interface: 'eth1' }],
    ['group', { ...base, group: '239.1.1.2' }],
    ['port', { ...base, port: 5001 }],
    ['sources', { ...base, sources: ['10.0.0.5'] }],
  ])('differs by %s', (_, other) => {
    expect(ingressKey(other)).not.toBe(ingressKey(base));
  });
});
