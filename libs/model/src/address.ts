// IP address helpers for relay rules: family, multicast test and one canonical spelling per
// address, so that "FF3E:0::1" and "ff3e::1" are the same group everywhere (keys, loops, storage),
// and so are "::ffff:239.1.1.1" and "239.1.1.1" (the kernel treats an IPv4-mapped address as IPv4).
import { isIP } from 'node:net';

export type AddressFamily = 4 | 6;

const IPV6_GROUPS = 8;

/** 4 or 6 for a literal IPv4/IPv6 address, undefined otherwise (zone indexes are not accepted). */
export function addressFamily(addr: string): AddressFamily | undefined {
  if (typeof addr !== 'string' || addr.includes('%')) return undefined;
  const family = isIP(addr);
  return family === 4 || family === 6 ? family : undefined;
}

/** True for 224.0.0.0/4 and ff00::/8. False for anything that is not an address. */
export function isMulticast(address: string): boolean {
  const addr = canonicalAddress(address);
  const family = addressFamily(addr);
  if (family === 4) {
    const firstOctet = Number(addr.split('.')[0]);
    return firstOctet >= 224 && firstOctet <= 239;
  }
  if (family === 6) return (parseIPv6(addr)[0] & 0xff00) === 0xff00;
  return false;
}

/** The unspecified address (0.0.0.0, ::): "any", never a group, source or destination. */
export function isUnspecified(address: string): boolean {
  const addr = canonicalAddress(address);
  const family = addressFamily(addr);
  if (family === 4) return addr === '0.0.0.0';
  if (family === 6) return parseIPv6(addr).every((group) => group === 0);
  return false;
}

/** 255.255.255.255, however spelled: never a group, source or destination. */
export function isBroadcast(addr: string): boolean {
  return canonicalAddress(addr) === '255.255.255.255';
}

/** A unicast host address: valid, not multicast, not unspecified, not IPv4 limited broadcast. */
export function isUnicast(addr: string): boolean {
  return addressFamily(addr) !== undefined && !isMulticast(addr) && !isUnspecified(addr) && !isBroadcast(addr);
}

/**
 * The canonical spelling: IPv4 unchanged (Node already rejects leading zeros), an IPv4-mapped
 * IPv6 address (::ffff:a.b.c.d, in any spelling) as the IPv4 address it stands for, any other
 * IPv6 per RFC 5952 (lowercase, no leading zeros, longest zero run compressed). Returns the input
 * unchanged when it is not an address, so callers can canonicalise first and validate later.
 */
export function canonicalAddress(addr: string): string {
  if (addressFamily(addr) !== 6) return addr;
  const groups = parseIPv6(addr);
  return isIPv4Mapped(groups) ? mappedIPv4(groups) : formatIPv6(groups);
}

/** Eight 16-bit groups of a string that isIP() accepted as IPv6. */
function parseIPv6(addr: string): number[] {
  let text = addr.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // Embedded IPv4 (e.g. ::ffff:1.2.3.4): rewrite as two hex groups.
    const [a, b, c, d] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  if (rest === undefined) return headGroups.map((group) => parseInt(group, 16));
  const restGroups = rest === '' ? [] : rest.split(':');
  const zeros = new Array<string>(IPV6_GROUPS - headGroups.length - restGroups.length).fill('0');
  return [...headGroups, ...zeros, ...restGroups].map((group) => parseInt(group, 16));
}

function mappedIPv4(groups: number[]): string {
  const [hi, lo] = [groups[6], groups[7]];
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

function formatIPv6(groups: number[]): string {
  const run = longestZeroRun(groups);
  const hex = groups.map((group) => group.toString(16));
  if (run.length < 2) return hex.join(':');
  const head = hex.slice(0, run.start).join(':');
  const tail = hex.slice(run.start + run.length).join(':');
  return `${head}::${tail}`;
}

function isIPv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
}

/** RFC 5952 4.2.3: the longest run of zero groups, the first one on a tie. */
function longestZeroRun(groups: number[]): { start: number; length: number } {
  let best = { start: -1, length: 0 };
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start > best.length) best = { start, length: i - start };
    start = -1;
  }
  return best;
}
