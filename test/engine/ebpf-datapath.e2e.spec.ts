// The eBPF datapath (engine option datapath "ebpf"), end to end through real namespaces:
// generator ns -> relay ns (the engine in a child process; the tc program on in0) -> sink ns.
// Forwarding and counters, checksums, fan-out, the per-relay fallback, standby, the fencing deadline,
// reverse path filtering (rp_filter) as the stack applies it, interface loss and return, and that a
// SIGKILLed engine leaves no program on the interface and nothing forwarding.
// IPv6 relays: the wire headers and checksums (from a CHECKSUM_PARTIAL sender and from one with
// full checksums), standby and fencing, and fragments passed to the socket path.
import {
  createRelayTopology,
  RemoteEngine,
  runGen,
  sleep,
  startSink,
  tcxIngressPrograms,
  waitLinksUp,
  type Topology,
} from '../lib';
import { startUdp6Headers } from './support/udp6-headers';

const started = Date.now();
let topo: Topology;
let engine: RemoteEngine;

beforeAll(async () => {
  topo = await createRelayTopology('ebpf');
  engine = await RemoteEngine.start(topo.relay, { datapath: 'ebpf' });
});

afterAll(async () => {
  await engine?.close().catch(() => engine.kill());
  await topo?.destroy();
  console.log(`engine eBPF datapath e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const input = (group: string, port: number) => ({ interface: 'in0', group, port });
const output = (group: string, port: number, iface = 'out0') => ({ interface: iface, group, port });

function sink(group: string, port: number, expect: number, iface = 'sink0') {
  const args = ['--group', group, '--port', String(port), '--interface', iface, '--idle-timeout', '1500'];
  return startSink(topo.sink, [...args, '--expect', String(expect)]);
}

/** A sink that listens for 2 s whatever arrives: for the cases where nothing should. */
function silentSink(group: string, port: number) {
  return startSink(topo.sink, ['--group', group, '--port', String(port), '--interface', 'sink0', '--duration', '2']);
}

function gen(group: string, port: number, count: number, rate = 20_000) {
  const args = ['--group', group, '--port', String(port), '--interface', 'gen0'];
  return runGen(topo.gen, [...args, '--rate', String(rate), '--count', String(count)]);
}

test('a multicast relay runs in the kernel: every datagram arrives once, counted in the usual counters', async () => {
  const id = await engine.addRelay({
    name: 'k1',
    input: input('239.5.1.1', 5000),
    outputs: [output('239.6.1.1', 6000)],
  });
  expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf' });
  expect(await tcxIngressPrograms(topo.relay, 'in0')).toBe(1);
  const receiver = await sink('239.6.1.1', 6000, 50_000);
  await gen('239.5.1.1', 5000, 50_000, 25_000);
  expect(await receiver.result()).toMatchObject({ received: 50_000, lost: 0, duplicates: 0 });
  const stats = await engine.relayStats(id);
  expect(stats?.packetsIn).toBe(50_000n);
  expect(stats?.outputs[0]).toMatchObject({ packets: 50_000n, sendErrors: 0n });
  expect(stats?.outputs[0].bytes).toBe(stats?.bytesIn);
  expect(stats?.lastPacketAt).toBeGreaterThan(Date.now() - 60_000);
  await engine.removeRelay(id);
  expect(await tcxIngressPrograms(topo.relay, 'in0')).toBe(0);
});

/** One counter of a namespace's /proc/net/snmp or /proc/net/netstat (a names line, then a values line). */
async function kernelCounter(ns: Topology['sink'], file: string, group: string, name: string): Promise<number> {
  const { stdout } = await ns.run('cat', [file]);
  const [names, values] = stdout.split('\n').filter((line) => line.startsWith(`${group}:`));
  return Number(values.split(/\s+/)[names.split(/\s+/).indexOf(name)]);
}

/** The sink namespace's count of UDP datagrams dropped for a bad checksum. */
const udpChecksumErrors = () => kernelCounter(topo.sink, '/proc/net/snmp', 'Udp', 'InCsumErrors');

/** Checksum offload off from sender to sink, so every UDP checksum is computed and verified in software. */
async function verifyChecksumsInSoftware(on: boolean): Promise<void> {
  const mode = on ? 'off' : 'on';
  await topo.gen.run('ethtool', ['-K', 'gen0', 'tx', mode]);
  await topo.relay.run('ethtool', ['-K', 'in0', 'rx', mode]);
  await topo.sink.run('ethtool', ['-K', 'sink0', 'rx', mode]);
}

test('rewritten addresses, port, TTL and DSCP keep the UDP and IP checksums valid', async () => {
  const id = await engine.addRelay({
    name: 'k-csum',
    input: input('239.5.1.7', 5000),
    outputs: [{ ...output('239.6.1.7', 6007), ttl: 9, dscp: 46 }],
  });
  await verifyChecksumsInSoftware(true);
  try {
    const errorsBefore = await udpChecksumErrors();
    const receiver = await sink('239.6.1.7', 6007, 5_000);
    await gen('239.5.1.7', 5000, 5_000);
    expect(await receiver.result()).toMatchObject({ received: 5_000, lost: 0 });
    expect(await udpChecksumErrors()).toBe(errorsBefore);
    expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf', outputs: [{ packets: 5_000n }] });
  } finally {
    await verifyChecksumsInSoftware(false);
    await engine.removeRelay(id);
  }
});

test('fan-out to 3 outputs on 2 interfaces, with rewritten groups and ports', async () => {
  const id = await engine.addRelay({
    name: 'k-fan',
    input: input('239.5.1.2', 5000),
    outputs: [output('239.6.1.2', 6002), output('239.6.1.3', 6003), output('239.7.1.1', 6004, 'out1')],
  });
  const sinks = await Promise.all([
    sink('239.6.1.2', 6002, 10_000),
    sink('239.6.1.3', 6003, 10_000),
    sink('239.7.1.1', 6004, 10_000, 'sink1'),
  ]);
  await gen('239.5.1.2', 5000, 10_000);
  for (const receiver of sinks) expect(await receiver.result()).toMatchObject({ received: 10_000, lost: 0 });
  const stats = await engine.relayStats(id);
  expect(stats?.datapath).toBe('ebpf');
  expect(stats?.outputs.map((o) => o.packets)).toEqual([10_000n, 10_000n, 10_000n]);
  await engine.removeRelay(id);
});

test('a relay the program cannot forward stays on sockets, says why, and still forwards', async () => {
  const id = await engine.addRelay({
    name: 'k-uni',
    input: input('239.5.1.3', 5000),
    outputs: [output('10.77.2.2', 7000)],
  });
  const stats = await engine.relayStats(id);
  expect(stats).toMatchObject({ datapath: 'socket' });
  expect(stats?.datapathReason).toMatch(/^outputs\[0\]\.group: unicast destinations/);
  const receiver = await sink('10.77.2.2', 7000, 5_000);
  await gen('239.5.1.3', 5000, 5_000);
  expect(await receiver.result()).toMatchObject({ received: 5_000, lost: 0 });
  await engine.removeRelay(id);
});

/** Polls the relay's stats until `check` holds (the interface monitor acts asynchronously). */
async function statsWhen(id: string, check: (datapath: string | undefined) => boolean): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (check((await engine.relayStats(id))?.datapath)) return;
    await sleep(100);
  }
  throw new Error(`relay ${id} stats never reached the expected datapath`);
}

test('an output interface going down withdraws the rule; its return puts the relay back in the kernel', async () => {
  const id = await engine.addRelay({
    name: 'k-if',
    input: input('239.5.1.8', 5000),
    outputs: [output('239.6.1.8', 6008)],
  });
  await topo.relay.ip('link', 'set', 'out0', 'down');
  await statsWhen(id, (datapath) => datapath === 'socket');
  expect((await engine.relayStats(id))?.datapathReason).toBe("outputs[0].interface: interface 'out0' is down");
  expect(await tcxIngressPrograms(topo.relay, 'in0')).toBe(0);
  await topo.relay.ip('link', 'set', 'out0', 'up');
  await waitLinksUp(topo.relay, ['out0']);
  await statsWhen(id, (datapath) => datapath === 'ebpf');
  const receiver = await sink('239.6.1.8', 6008, 3_000);
  await gen('239.5.1.8', 5000, 3_000);
  expect(await receiver.result()).toMatchObject({ received: 3_000, lost: 0 });
  expect((await engine.relayStats(id))?.outputs[0].packets).toBe(3_000n);
  await engine.removeRelay(id);
});

test('standby counts and sends nothing; promotion forwards again', async () => {
  const id = await engine.addRelay({
    name: 'k-sb',
    input: input('239.5.1.4', 5000),
    outputs: [output('239.6.1.4', 6000)],
  });
  await engine.setRole('standby');
  const idle = await silentSink('239.6.1.4', 6000);
  await gen('239.5.1.4', 5000, 3_000);
  expect((await idle.result()).received).toBe(0);
  expect(await engine.relayStats(id)).toMatchObject({ notForwardedStandby: 3_000n, outputs: [{ packets: 0n }] });
  await engine.setRole('active');
  const receiver = await sink('239.6.1.4', 6000, 3_000);
  await gen('239.5.1.4', 5000, 3_000);
  expect(await receiver.result()).toMatchObject({ received: 3_000, lost: 0 });
  await engine.removeRelay(id);
});

test('a passed fencing deadline stops the program; clearing it forwards again', async () => {
  const id = await engine.addRelay({
    name: 'k-fence',
    input: input('239.5.1.5', 5000),
    outputs: [output('239.6.1.5', 6000)],
  });
  await engine.call('setForwardUntilInMs', 0);
  const fenced = await silentSink('239.6.1.5', 6000);
  await gen('239.5.1.5', 5000, 3_000);
  expect((await fenced.result()).received).toBe(0);
  expect(await engine.relayStats(id)).toMatchObject({ heldByFence: 3_000n, outputs: [{ packets: 0n }] });
  await engine.call('setForwardUntilInMs', 60_000);
  const receiver = await sink('239.6.1.5', 6000, 3_000);
  await gen('239.5.1.5', 5000, 3_000);
  expect(await receiver.result()).toMatchObject({ received: 3_000, lost: 0 });
  await engine.call('clearForwardUntil');
  await engine.removeRelay(id);
});

describe('reverse path filtering (rp_filter) on the ingress, as the IP input path applies it', () => {
  const GEN_SOURCE = '10.77.1.2'; // gen0's address: the source of every generated datagram
  const COUNT = 3_000;
  const rpFilter = (value: string) =>
    Promise.all(['all', 'in0'].map((dev) => topo.relay.sysctl(`net.ipv4.conf.${dev}.rp_filter`, value)));
  // The program's source check is a route lookup, which needs IPv4 forwarding on the ingress.
  const forwarding = (value: string) => topo.relay.sysctl('net.ipv4.conf.in0.forwarding', value);
  const blackhole = (present: boolean) =>
    topo.relay.ip('route', present ? 'add' : 'del', 'blackhole', `${GEN_SOURCE}/32`);
  // Datagrams the relay namespace's stack delivered to a UDP socket, and those its rp_filter dropped.
  const udpDelivered = () => kernelCounter(topo.relay, '/proc/net/snmp', 'Udp', 'InDatagrams');
  const rpFilterDrops = () => kernelCounter(topo.relay, '/proc/net/netstat', 'TcpExt', 'IPReversePathFilter');

  /** Sends COUNT datagrams; all must arrive, forwarded by the program (the stack delivers none to a socket). */
  async function forwardedInTheKernel(): Promise<void> {
    const deliveredBefore = await udpDelivered();
    const receiver = await sink('239.6.1.9', 6009, COUNT);
    await gen('239.5.1.9', 5000, COUNT);
    expect(await receiver.result()).toMatchObject({ received: COUNT, lost: 0 });
    expect((await udpDelivered()) - deliveredBefore).toBeLessThan(COUNT / 10);
  }

  test('strict with the source blackholed: the stack drops every datagram, none forwarded or counted; passing sources forward in the kernel', async () => {
    await forwarding('1');
    await rpFilter('1');
    await blackhole(true);
    let id = '';
    try {
      id = await engine.addRelay({
        name: 'k-rpf',
        input: input('239.5.1.9', 5000),
        outputs: [output('239.6.1.9', 6009)],
      });
      expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf' });
      const dropsBefore = await rpFilterDrops();
      const refused = await silentSink('239.6.1.9', 6009);
      await gen('239.5.1.9', 5000, COUNT);
      expect((await refused.result()).received).toBe(0);
      expect(await engine.relayStats(id)).toMatchObject({ packetsIn: 0n, outputs: [{ packets: 0n }] });
      expect((await rpFilterDrops()) - dropsBefore).toBeGreaterThanOrEqual(COUNT); // the stack dropped them

      // Still strict, the source routed back through in0: the program forwards.
      await blackhole(false);
      await forwardedInTheKernel();

      // rp_filter off while the relay runs (the engine re-plans on the netconf event): the
      // blackholed source forwards again, in the kernel.
      await blackhole(true);
      await rpFilter('0');
      await sleep(500);
      await forwardedInTheKernel();
      expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf', packetsIn: BigInt(2 * COUNT) });

      // rp_filter on without forwarding: no lookup possible, the relay goes to sockets and says why.
      await forwarding('0');
      await rpFilter('1');
      await statsWhen(id, (datapath) => datapath === 'socket');
      expect((await engine.relayStats(id))?.datapathReason).toBe(
        "input.interface: rp_filter is on and IPv4 forwarding is off on 'in0'; the program's source check " +
          '(a route lookup) needs net.ipv4.conf.in0.forwarding=1, the socket path applies rp_filter',
      );
    } finally {
      await rpFilter('0');
      await forwarding('0');
      await blackhole(false).catch(() => undefined);
      if (id) await engine.removeRelay(id);
    }
  });
});

test('an engine killed with SIGKILL leaves no program attached and nothing forwarding', async () => {
  const doomed = await RemoteEngine.start(topo.relay, { datapath: 'ebpf' });
  await doomed.addRelay({ name: 'k-kill', input: input('239.5.1.6', 5000), outputs: [output('239.6.1.6', 6000)] });
  expect(await tcxIngressPrograms(topo.relay, 'in0')).toBe(1);
  const exited = new Promise<void>((resolve) => doomed.onExit(resolve));
  doomed.kill();
  await exited;
  expect(await tcxIngressPrograms(topo.relay, 'in0')).toBe(0);
  const receiver = await silentSink('239.6.1.6', 6000);
  await gen('239.5.1.6', 5000, 2_000);
  expect((await receiver.result()).received).toBe(0);
});

describe('IPv6', () => {
  // Setting an interface down flushes its IPv6 addresses (keep_addr_on_down is 0), as the
  // interface test above does to out0: the relay then sends from the link-local address, and
  // these tests expect the topology's.
  beforeAll(async () => {
    await topo.relay.ip('addr', 'replace', 'fd77:2::1/64', 'dev', 'out0', 'nodad');
    await topo.relay.ip('addr', 'replace', 'fd77:3::1/64', 'dev', 'out1', 'nodad');
  });

  /** The namespace's count of UDP datagrams dropped for a bad checksum (/proc/net/snmp6). */
  async function udp6ChecksumErrors(): Promise<number> {
    const { stdout } = await topo.sink.run('cat', ['/proc/net/snmp6']);
    const line = stdout.split('\n').find((entry) => entry.startsWith('Udp6InCsumErrors'));
    return Number(line?.split(/\s+/)[1]);
  }

  async function offload(ns: 'gen' | 'relay' | 'sink', ifname: string, direction: 'rx' | 'tx', on: boolean) {
    await topo[ns].run('ethtool', ['-K', ifname, direction, on ? 'on' : 'off']);
  }

  /** The relay's outputs send complete checksums and the sinks verify them in software: a CHECKSUM_PARTIAL
   * datagram's checksum is completed at out0/out1 from the pseudo-header sum the program left. */
  async function checksumsCompletedAtTheRelay(on: boolean): Promise<void> {
    await offload('relay', 'out0', 'tx', !on);
    await offload('relay', 'out1', 'tx', !on);
    await offload('sink', 'sink0', 'rx', !on);
    await offload('sink', 'sink1', 'rx', !on);
  }

  const v6sink = (group: string, port: number, expect: number, iface = 'sink0') => sink(group, port, expect, iface);

  test('CHECKSUM_PARTIAL input: fan-out with rewritten group, port, source, hop limit, DSCP and right checksums', async () => {
    const id = await engine.addRelay({
      name: 'k6',
      input: input('ff3e::5:1', 5000),
      outputs: [
        { ...output('ff3e::6:1', 6001), ttl: 9, dscp: 46 },
        { ...output('ff3e::7:1', 6002, 'out1'), ttl: 'inherit' },
      ],
    });
    expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf' });
    await checksumsCompletedAtTheRelay(true);
    try {
      const errorsBefore = await udp6ChecksumErrors();
      const ingress = await startUdp6Headers(topo.relay, 'in0', 'ff3e::5:1', 5000, 3_000);
      const out0 = await startUdp6Headers(topo.sink, 'sink0', 'ff3e::6:1', 6001, 3_000);
      const out1 = await startUdp6Headers(topo.sink, 'sink1', 'ff3e::7:1', 6002, 3_000);
      const receivers = [await v6sink('ff3e::6:1', 6001, 3_000), await v6sink('ff3e::7:1', 6002, 3_000, 'sink1')];
      await gen('ff3e::5:1', 5000, 3_000, 3_000); // a pace the header readers keep up with
      // The headers first: with a wrong checksum the sinks would drop everything and never finish.
      // The sender's datagrams reach the program with their checksum left to offload.
      expect(await ingress.report).toMatchObject({ datagrams: 3_000, partial: 3_000, checksums: { wrong: 0 } });
      expect(await out0.report).toMatchObject({
        datagrams: 3_000,
        partial: 0,
        checksums: { right: 3_000, wrong: 0 },
        destinationMacs: { '33:33:00:06:00:01': 3_000 },
        sources: { 'fd77:2::1': 3_000 },
        hopLimits: { '9': 3_000 },
        trafficClasses: { [String(46 << 2)]: 3_000 },
      });
      expect(await out1.report).toMatchObject({
        datagrams: 3_000,
        checksums: { right: 3_000, wrong: 0 },
        destinationMacs: { '33:33:00:07:00:01': 3_000 },
        sources: { 'fd77:3::1': 3_000 },
        hopLimits: { '15': 3_000 }, // mcrgen sends with 16
        trafficClasses: { '0': 3_000 },
      });
      for (const receiver of receivers) expect(await receiver.result()).toMatchObject({ received: 3_000, lost: 0 });
      expect(await udp6ChecksumErrors()).toBe(errorsBefore);
      const stats = await engine.relayStats(id);
      expect(stats).toMatchObject({ datapath: 'ebpf', packetsIn: 3_000n });
      expect(stats?.outputs.map((o) => o.packets)).toEqual([3_000n, 3_000n]);
    } finally {
      await checksumsCompletedAtTheRelay(false);
      await engine.removeRelay(id);
    }
  });

  test('full checksums from the sender: a source-specific relay rewrites them incrementally', async () => {
    const id = await engine.addRelay({
      name: 'k6-full',
      input: { ...input('ff3e::5:2', 5000), sources: ['fd77:1::2'] },
      outputs: [{ ...output('ff3e::6:2', 6003), ttl: 4, dscp: 10 }],
    });
    expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf' });
    await verifyChecksumsInSoftware(true);
    try {
      const errorsBefore = await udp6ChecksumErrors();
      const ingress = await startUdp6Headers(topo.relay, 'in0', 'ff3e::5:2', 5000, 3_000);
      const headers = await startUdp6Headers(topo.sink, 'sink0', 'ff3e::6:2', 6003, 3_000);
      const receiver = await v6sink('ff3e::6:2', 6003, 3_000);
      await gen('ff3e::5:2', 5000, 3_000, 3_000);
      expect(await ingress.report).toMatchObject({ partial: 0, checksums: { right: 3_000 } });
      expect(await headers.report).toMatchObject({
        datagrams: 3_000,
        partial: 0,
        checksums: { right: 3_000, wrong: 0 },
        hopLimits: { '4': 3_000 },
        trafficClasses: { [String(10 << 2)]: 3_000 },
      });
      expect(await receiver.result()).toMatchObject({ received: 3_000, lost: 0 });
      expect(await udp6ChecksumErrors()).toBe(errorsBefore);
      expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf', outputs: [{ packets: 3_000n }] });
    } finally {
      await verifyChecksumsInSoftware(false);
      await engine.removeRelay(id);
    }
  });

  test('standby counts and sends nothing, a passed fencing deadline holds; both forward again', async () => {
    const id = await engine.addRelay({
      name: 'k6-hold',
      input: input('ff3e::5:3', 5000),
      outputs: [output('ff3e::6:3', 6004)],
    });
    await engine.setRole('standby');
    const idle = await silentSink('ff3e::6:3', 6004);
    await gen('ff3e::5:3', 5000, 2_000);
    expect((await idle.result()).received).toBe(0);
    expect(await engine.relayStats(id)).toMatchObject({ notForwardedStandby: 2_000n, outputs: [{ packets: 0n }] });
    await engine.setRole('active');
    await engine.call('setForwardUntilInMs', 0);
    const fenced = await silentSink('ff3e::6:3', 6004);
    await gen('ff3e::5:3', 5000, 2_000);
    expect((await fenced.result()).received).toBe(0);
    expect(await engine.relayStats(id)).toMatchObject({ heldByFence: 2_000n, outputs: [{ packets: 0n }] });
    await engine.call('clearForwardUntil');
    const receiver = await v6sink('ff3e::6:3', 6004, 2_000);
    await gen('ff3e::5:3', 5000, 2_000);
    expect(await receiver.result()).toMatchObject({ received: 2_000, lost: 0 });
    expect(await engine.relayStats(id)).toMatchObject({ datapath: 'ebpf', outputs: [{ packets: 2_000n }] });
    await engine.removeRelay(id);
  });

  test('fragmented datagrams go to the socket path, which forwards them', async () => {
    const id = await engine.addRelay({
      name: 'k6-frag',
      input: input('ff3e::5:4', 5000),
      outputs: [output('ff3e::6:4', 6005)],
    });
    const receiver = await v6sink('ff3e::6:4', 6005, 200);
    // 9,100 bytes over a 9,000-byte MTU: the sender fragments, the program passes the fragments
    // on, and the relay's socket receives the datagram whole (it fits the 9,216-byte buffer).
    const args = ['--group', 'ff3e::5:4', '--port', '5000', '--interface', 'gen0', '--size', '9100'];
    await runGen(topo.gen, [...args, '--rate', '2000', '--count', '200']);
    expect(await receiver.result()).toMatchObject({ received: 200, lost: 0 });
    const stats = await engine.relayStats(id);
    expect(stats).toMatchObject({ datapath: 'ebpf', packetsIn: 200n, outputs: [{ packets: 200n }] });
    await engine.removeRelay(id);
  });

  test('v4<->v6 translation and IPv6 unicast outputs stay on sockets with the reason', async () => {
    const translating = await engine.addRelay({
      name: 'k6-x',
      input: input('ff3e::5:5', 5000),
      outputs: [output('239.6.5.5', 6006)],
    });
    expect(await engine.relayStats(translating)).toMatchObject({
      datapath: 'socket',
      datapathReason: 'outputs[0].group: IPv6 to IPv4 translation runs on the socket path',
    });
    const unicast = await engine.addRelay({
      name: 'k6-uni',
      input: input('ff3e::5:6', 5000),
      outputs: [output('fd77:2::2', 6007)],
    });
    expect((await engine.relayStats(unicast))?.datapathReason).toMatch(/^outputs\[0\]\.group: unicast destinations/);
    const receiver = await v6sink('fd77:2::2', 6007, 2_000);
    await gen('ff3e::5:6', 5000, 2_000);
    expect(await receiver.result()).toMatchObject({ received: 2_000, lost: 0 });
    await engine.removeRelay(translating);
    await engine.removeRelay(unicast);
  });
});
