// Stats rows from the service's body, live rates from two samples, and the rendered table.
import { describeNode, parseStats, renderStats, withLiveRates, type StatsRow } from '../src/stats-view';

const relayStats = {
  id: 'r1',
  name: 'feed-a',
  state: 'forwarding',
  packetsIn: 1000,
  bytesIn: 1_300_000,
  drops: { rxqOverflow: 3, truncated: 1, ttlExpired: 9, sendErrors: 2, notForwardedStandby: 0, heldByFence: 0 },
  lastPacketAt: '2026-11-28T12:00:00.000Z',
  rcvbufBytes: 4194304,
  interfacesDown: [],
  datapath: 'ebpf',
  rateWindowSeconds: 5,
  packetsInPerSecond: 200,
  bitsInPerSecond: 2_080_000,
  outputs: [
    { index: 0, packets: 1000, bytes: 1_300_000, sendErrors: 0, lastPacketAt: null },
    { index: 1, packets: 998, bytes: 1_297_400, sendErrors: 2, lastPacketAt: null },
  ],
};

describe('parseStats', () => {
  it('reads GET /api/v1/stats: relays with counters, drops, outputs and the service rates', () => {
    const rows = parseStats({ nodeId: 'n1', role: 'active', totals: {}, relays: [relayStats] });
    expect(rows).toEqual([
      {
        id: 'r1',
        name: 'feed-a',
        state: 'forwarding',
        reason: undefined,
        interfacesDown: [],
        datapath: 'ebpf',
        datapathReason: undefined,
        packetsIn: 1000,
        bytesIn: 1_300_000,
        drops: 4,
        packetsOut: 1998,
        sendErrors: 2,
        packetsPerSecond: 200,
        bitsPerSecond: 2_080_000,
        lastPacketAt: Date.parse('2026-11-28T12:00:00.000Z'),
      },
    ]);
  });

  it('reads one relay (GET /relays/:id/stats) and counters sent as strings', () => {
    const [row] = parseStats({ ...relayStats, packetsIn: '18446744073709551615', lastPacketAt: null });
    expect(row.packetsIn).toBeCloseTo(1.8446744073709552e19);
    expect(row.lastPacketAt).toBeNull();
  });

  it('leaves unreported counters unknown instead of zero', () => {
    const [row] = parseStats([{ id: 'r2', name: 'bare' }]);
    expect(row.packetsIn).toBeUndefined();
    expect(row.drops).toBeUndefined();
    expect(row.packetsOut).toBeUndefined();
  });
});

describe('the stream analysis of the input', () => {
  const analysis = { rtpLost: 12, rtpReordered: 1, rtpDuplicates: 0, rtpJitterUs: 850, tsContinuityErrors: 3 };

  it('reads the analysis counters and prints a line under the table', () => {
    const [row] = parseStats({ ...relayStats, ...analysis });
    expect(row.analysis).toEqual(analysis);
    expect(renderStats([row], Date.parse('2026-11-28T12:00:01.000Z'))).toContain(
      'feed-a input: RTP lost 12, reordered 1, duplicates 0, jitter 850 us; TS continuity errors 3',
    );
  });

  it('prints a line per leg of a redundant relay instead, from the leg fields', () => {
    const leg = (name: string, lost: number) => ({ leg: name, legPackets: 10, legRtpLost: lost, legRtpJitterUs: 90 });
    const [row] = parseStats({ ...relayStats, ...analysis, legs: [leg('a', 12), leg('b', 0)] });
    const text = renderStats([row], Date.parse('2026-11-28T12:00:01.000Z'));
    expect(text).toContain('feed-a leg a: RTP lost 12, reordered -, duplicates -, jitter 90 us');
    expect(text).toContain('feed-a leg b: RTP lost 0,');
    expect(text).not.toContain('feed-a input:');
  });

  it('prints no line while the analysis saw nothing (analyze off, or neither RTP nor TS)', () => {
    const zero = { rtpLost: 0, rtpReordered: 0, rtpDuplicates: 0, rtpJitterUs: 0, tsContinuityErrors: 0 };
    const [row] = parseStats({ ...relayStats, ...zero });
    expect(renderStats([row], Date.parse('2026-11-28T12:00:01.000Z'))).not.toContain('input:');
  });
});

describe('the legs of a redundant relay', () => {
  const leg = (name: string, silentForMs: number | null) => ({
    leg: name,
    legPackets: 1000,
    firstCopies: 600,
    duplicates: 400,
    tooLate: 0,
    onlyThisLeg: 12,
    inactiveLeg: 0,
    silentForMs,
  });

  it('reads every leg and the active one, and prints a line per leg under the table', () => {
    const [row] = parseStats({ ...relayStats, legs: [leg('a', 3), leg('b', null)], activeLeg: 'b' });
    expect(row.activeLeg).toBe('b');
    expect(row.legs).toEqual([
      {
        leg: 'a',
        received: 1000,
        forwarded: 600,
        duplicates: 400,
        tooLate: 0,
        onlyThisLeg: 12,
        inactive: 0,
        silentForMs: 3,
      },
      expect.objectContaining({ leg: 'b', silentForMs: null }),
    ]);
    const text = renderStats([row], Date.parse('2026-11-28T12:00:01.000Z'));
    expect(text).toContain('feed-a leg a: received 1000, first copies 600, duplicates 400');
    expect(text).toContain('only this leg 12');
    expect(text).toContain('; silent 3 ms');
    expect(text).toContain('feed-a leg b (active):');
    expect(text).toContain('; never received');
  });

  it('has no legs for a plain relay', () => {
    expect(parseStats(relayStats)[0].legs).toBeUndefined();
  });
});

describe('withLiveRates', () => {
  const base: StatsRow = {
    id: 'r1',
    name: 'a',
    packetsIn: 1000,
    bytesIn: 100_000,
    packetsPerSecond: 7,
    bitsPerSecond: 7,
  };

  it('computes packets/s and bits/s over the real interval between samples', () => {
    const [row] = withLiveRates([{ ...base, packetsIn: 3000, bytesIn: 350_000 }], [base], 2000);
    expect(row.packetsPerSecond).toBe(1000);
    expect(row.bitsPerSecond).toBe(1_000_000);
  });

  it("keeps the service's rate for a new relay or counters that went backwards (restart)", () => {
    expect(withLiveRates([{ ...base, id: 'new' }], [base], 1000)[0].packetsPerSecond).toBe(7);
    expect(withLiveRates([{ ...base, packetsIn: 10 }], [base], 1000)[0].packetsPerSecond).toBe(7);
    expect(withLiveRates([base], undefined, 1000)[0].packetsPerSecond).toBe(7);
  });
});

describe('renderStats', () => {
  it('renders one aligned row per relay, sorted by name, with failure reasons below', () => {
    const now = Date.parse('2026-11-28T12:00:05.000Z');
    const rows = parseStats({
      relays: [
        relayStats,
        { id: 'r0', name: 'broken', state: 'failed', reason: "input.interface 'eth9': no such interface" },
      ],
    });
    expect(renderStats(rows, now)).toBe(
      [
        'NAME    STATE       DATAPATH  PACKETS IN  PKT/S  MBIT/S  DROPS  PACKETS OUT  SEND ERR  LAST PACKET',
        'broken  failed      -                  -      -       -      -            -         -  -',
        'feed-a  forwarding  ebpf            1000    200    2.08      4         1998         2  5s ago',
        '',
        "broken: failed: input.interface 'eth9': no such interface",
        '',
      ].join('\n'),
    );
  });

  it('says why a relay runs on sockets when eBPF was asked for', () => {
    const reason = "outputs[0].group: unicast destinations need the neighbour's MAC; the socket path sends them";
    const rows = parseStats([{ ...relayStats, datapath: 'socket', datapathReason: reason }]);
    expect(rows[0]).toMatchObject({ datapath: 'socket', datapathReason: reason });
    const lines = renderStats(rows, Date.parse('2026-11-28T12:00:05.000Z')).split('\n');
    expect(lines[1]).toMatch(/^feed-a {2}forwarding {2}socket {4}/);
    expect(lines.slice(2)).toEqual(['', `feed-a: on sockets: ${reason}`, '']);
  });

  it('shows a relay waiting for an interface by state, with the reason below said once', () => {
    const rows = parseStats([
      {
        ...relayStats,
        state: 'waiting',
        interfacesDown: ['eth1'],
        reason: 'waiting for interface eth1 (down or gone); resumes by itself when back',
      },
    ]);
    expect(rows[0]).toMatchObject({ state: 'waiting', interfacesDown: ['eth1'] });
    const lines = renderStats(rows, Date.parse('2026-11-28T12:00:05.000Z')).split('\n');
    expect(lines[1]).toMatch(/^feed-a {2}waiting {2}ebpf {2}/);
    expect(lines.slice(2)).toEqual([
      '',
      'feed-a: waiting for interface eth1 (down or gone); resumes by itself when back',
      '',
    ]);
  });

  it('says so when there are no relays', () => {
    expect(renderStats([], 0)).toBe('no relays\n');
  });

  it('names the node and its role when the body says', () => {
    expect(describeNode({ nodeId: 'relay-a', role: 'standby', relays: [] })).toBe('node relay-a (standby)');
    expect(describeNode([])).toBeUndefined();
  });
});
