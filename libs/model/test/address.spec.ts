// Address helpers: family, multicast/unicast classification and RFC 5952 canonical spelling.
import { addressFamily, canonicalAddress, isBroadcast, isMulticast, isUnicast, isUnspecified } from '../src/address';

describe('addressFamily', () => {
  it.each([
    ['239.1.1.1', 4],
    ['10.0.0.5', 4],
    ['ff3e::1', 6],
    ['FF3E:0::1', 6],
    ['::ffff:1.2.3.4', 6],
    ['239.1.1', undefined],
    ['01.2.3.4', undefined],
    ['fe80::1%eth0', undefined],
    ['eth0', undefined],
    ['', undefined],
  ])('%s -> %s', (addr, family) => {
    expect(addressFamily(addr)).toBe(family);
  });
});

describe('isMulticast / isUnicast / isUnspecified', () => {
  it.each([
    // addr, multicast, unicast, unspecified
    ['224.0.0.1', true, false, false],
    ['239.255.255.255', true, false, false],
    ['223.255.255.255', false, true, false],
    ['240.0.0.1', false, true, false],
    ['255.255.255.255', false, false, false],
    ['0.0.0.0', false, false, true],
    ['ff02::1', true, false, false],
    ['FF3E::8000:1', true, false, false],
    ['fe80::1', false, true, false],
    ['2001:db8::1', false, true, false],
    ['::', false, false, true],
    ['0:0::0', false, false, true],
    ['not-an-address', false, false, false],
  ])('%s: multicast %s, unicast %s, unspecified %s', (addr, multicast, unicast, unspecified) => {
    expect(isMulticast(addr)).toBe(multicast);
    expect(isUnicast(addr)).toBe(unicast);
    expect(isUnspecified(addr)).toBe(unspecified);
  });
});

describe('canonicalAddress', () => {
  it.each([
    ['239.1.1.1', '239.1.1.1'],
    ['FF3E:0::1', 'ff3e::1'],
    ['ff3e:0000:0000:0000:0000:0000:0000:0001', 'ff3e::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['not-an-address', 'not-an-address'],
  ])('%s -> %s', (addr, canonical) => {
    expect(canonicalAddress(addr)).toBe(canonical);
    expect(addressFamily(canonical)).toBe(addressFamily(addr));
  });

  // The kernel sends to and joins an IPv4-mapped address as the IPv4 address it maps.
  it.each([
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['::ffff:c000:0201', '192.0.2.1'],
    ['0:0:0:0:0:ffff:239.1.1.1', '239.1.1.1'],
    ['::ffff:255.255.255.255', '255.255.255.255'],
  ])('IPv4-mapped %s -> %s', (addr, canonical) => {
    expect(canonicalAddress(addr)).toBe(canonical);
  });
});

describe('IPv4-mapped spellings classify like their IPv4 address', () => {
  it.each([
    // addr, multicast, unicast, unspecified, broadcast
    ['::ffff:239.1.1.1', true, false, false, false],
    ['::ffff:ef01:101', true, false, false, false],
    ['::ffff:10.0.0.5', false, true, false, false],
    ['::ffff:0.0.0.0', false, false, true, false],
    ['::ffff:255.255.255.255', false, false, false, true],
    ['::ffff:ffff:ffff', false, false, false, true],
    ['255.255.255.255', false, false, false, true],
  ])(
    '%s: multicast %s, unicast %s, unspecified %s, broadcast %s',
    (addr, multicast, unicast, unspecified, broadcast) => {
      expect(isMulticast(addr)).toBe(multicast);
      expect(isUnicast(addr)).toBe(unicast);
      expect(isUnspecified(addr)).toBe(unspecified);
      expect(isBroadcast(addr)).toBe(broadcast);
    },
  );
});
