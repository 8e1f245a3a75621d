// Unit tests of the drop counters' parsers against the kernel's file formats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBacklogDrops, parseUdpRcvbufErrors } from '../drops';

const SOFTNET = [
  '236eb36a 00030d34 00000006 00000000 00000000 00000000 00000000 00000000 00000000 023e260c 00000000 00000000 00000000 00000000 00000000',
  '1d4cd8c7 00262706 00000007 00000000 00000000 00000000 00000000 00000000 00000000 01f88063 00000000 00000000 00000001 00000000 00000000',
].join('\n');

test("the backlog drops are the second hexadecimal column of the CPU's softnet_stat row", () => {
  assert.equal(parseBacklogDrops(SOFTNET, 0), 0x30d34);
  assert.equal(parseBacklogDrops(SOFTNET, 1), 0x262706);
});

test('an offline CPU before it shifts the rows: the CPU id column decides', () => {
  const onlyCpu1 = SOFTNET.split('\n')[1];
  assert.equal(parseBacklogDrops(onlyCpu1, 1), 0x262706);
});

test('RcvbufErrors is read by its header position in the Udp lines', () => {
  const snmp = [
    'Ip: Forwarding DefaultTTL',
    'Ip: 1 64',
    'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
    'Udp: 15507620 163080 33326 15051891 33325 0 0 0 0',
    'UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
    'UdpLite: 0 0 0 0 7 0 0 0 0',
  ].join('\n');
  assert.equal(parseUdpRcvbufErrors(snmp), 33325);
  assert.equal(parseUdpRcvbufErrors('Ip: x\nIp: 1\n'), 0);
});
