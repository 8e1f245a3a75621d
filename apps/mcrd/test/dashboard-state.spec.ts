// The dashboard's view logic without a browser: rate history for the sparklines, the relays
// table's filter and sort, counter discovery, number formats, routes and the leadership log.
import type { ClusterDto } from '../src/cluster/cluster.dto';
import type { NodeStatsDto, RelayStatsDto } from '../src/stats/stats.dto';
import { countersOf, extraFields } from '../ui/src/state/counters';
import { age, bitRate, packetRate } from '../ui/src/state/format';
import { noteLeader } from '../ui/src/state/leader-log';
import { RateHistory } from '../ui/src/state/rate-history';
import { DEFAULT_VIEW, applyView, interfacesOf, relayRows } from '../ui/src/state/relay-table';
import { parseRoute } from '../ui/src/state/route';

function relayStats(
  id: string,
  name: string,
  state: RelayStatsDto['state'],
  packetsInPerSecond: number,
  drops = 0,
): RelayStatsDto {
  return {
    id,
    name,
    state,
    packetsIn: 0,
    bytesIn: 0,
    receiveErrors: 0,
    lastPacketAt: null,
    rcvbufBytes: 0,
    owner: null,
    interfacesDown: [],
    datapath: 'socket',
    rtpLost: 0,
    rtpReordered: 0,
    rtpDuplicates: 0,
    rtpJitterUs: 0,
    tsContinuityErrors: 0,
    rateWindowSeconds: 5,
    drops: { rxqOverflow: drops, truncated: 0, ttlExpired: 0, sendErrors: 0, notForwardedStandby: 500, heldByFence: 0 },
    packetsInPerSecond,
    bitsInPerSecond: packetsInPerSecond * 8000,
    outputs: [
      {
        index: 0,
        interface: 'out0',
        group: '239.2.2.2',
        port: 6000,
        packets: 0,
        bytes: 0,
        sendErrors: 0,
        sendErrorsByErrno: {},
        gsoDatagrams: 0,
        gsoFallbacks: 0,
        pruned: 0,
        prunedMs: 0,
        lastPacketAt: null,
        packetsPerSecond: packetsInPerSecond * 2,
        bitsPerSecond: 0,
      },
    ],
    legs: [],
    activeLeg: null,
  };
}

function nodeStats(relays: RelayStatsDto[]): NodeStatsDto {
  return {
    nodeId: 'n1',
    role: 'active',
    relays,
    totals: {
      relays: relays.length,
      packetsIn: 0,
      bytesIn: 0,
      packetsOut: 0,
      bytesOut: 0,
      drops: 0,
      packetsInPerSecond: 0,
      bitsInPerSecond: 0,
      packetsOutPerSecond: 0,
      bitsOutPerSecond: 0,
    },
  };
}

const relay = (id: string, name: string, inputInterface: string) => ({
  id,
  name,
  enabled: true,
  revision: 1,
  input: { interface: inputInterface, group: '239.1.1.1', port: 5000 },
  outputs: [{ interface: 'out0', group: '239.2.2.2', port: 6000 }],
});

describe('dashboard view logic', () => {
  it('keeps the last minutes of rates per relay and forgets deleted relays', () => {
    const history = new RateHistory(10);
    for (let s = 0; s <= 20; s++)
      history.record(
        s * 1000,
        nodeStats([
          relayStats('a', 'feed-a', 'forwarding', s),
          ...(s < 5 ? [relayStats('b', 'feed-b', 'forwarding', 1)] : []),
        ]),
      );
    const a = history.series('a');
    expect(a.times).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(a.packetsInPerSecond).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(a.packetsOutPerSecond.at(-1)).toBe(40);
    expect(history.series('b').times).toEqual([]);
  });

  it('filters by name, state and interface and sorts by the chosen column', () => {
    const rows = relayRows(
      [
        relayStats('a', 'alpha', 'forwarding', 100),
        relayStats('b', 'beta', 'disabled', 0),
        relayStats('c', 'gamma', 'forwarding', 300, 7),
      ],
      [relay('a', 'alpha', 'in0'), relay('b', 'beta', 'in1'), relay('c', 'gamma', 'in1')],
    );
    const names = (view: Partial<typeof DEFAULT_VIEW>) =>
      applyView(rows, { ...DEFAULT_VIEW, ...view }).map((r) => r.stats.name);
    expect(names({})).toEqual(['alpha', 'beta', 'gamma']);
    expect(names({ nameContains: 'AM' })).toEqual(['gamma']);
    expect(names({ state: 'forwarding' })).toEqual(['alpha', 'gamma']);
    expect(names({ interface: 'in1' })).toEqual(['beta', 'gamma']);
    expect(names({ sortBy: 'packetsInPerSecond', descending: true })).toEqual(['gamma', 'alpha', 'beta']);
    expect(names({ sortBy: 'drops', descending: true })).toEqual(['gamma', 'alpha', 'beta']);
    expect(interfacesOf(rows)).toEqual(['in0', 'in1', 'out0']);
    // What a standby drains on purpose is not a drop.
    expect(rows.map((r) => r.drops)).toEqual([0, 0, 7]);
  });

  it('finds every counter, including ones a later API adds, and the definition fields it does not lay out', () => {
    const stats = { ...relayStats('a', 'alpha', 'forwarding', 5), legs: { main: { rtpLoss: 3 } } };
    const counters = countersOf(stats, ['outputs']);
    expect(counters).toContainEqual({ name: 'drops.rxqOverflow', value: 0 });
    expect(counters).toContainEqual({ name: 'legs.main.rtpLoss', value: 3 });
    expect(counters.some((c) => c.name.startsWith('outputs'))).toBe(false);
    expect(
      extraFields({ ...relay('a', 'alpha', 'in0'), analyze: 'rtp' }, [
        'id',
        'name',
        'enabled',
        'input',
        'outputs',
        'revision',
      ]),
    ).toEqual({ analyze: 'rtp' });
  });

  it('formats rates with SI prefixes and ages in words', () => {
    expect(bitRate(213_000_000)).toBe('213 Mbit/s');
    expect(packetRate(19_999.8)).toBe('20 kpkt/s');
    expect(packetRate(0)).toBe('0 pkt/s');
    expect(age(null, 0)).toBe('never');
    expect(age('1970-01-01T00:00:00.000Z', 3_000)).toBe('3 s ago');
    expect(age('1970-01-01T00:00:00.000Z', 600_000)).toBe('10 min ago');
  });

  it('reads the view from the URL fragment', () => {
    expect(parseRoute('')).toEqual({ view: 'relays' });
    expect(parseRoute('#/cluster')).toEqual({ view: 'cluster' });
    expect(parseRoute('#/relays/a%2Fb')).toEqual({ view: 'relay', id: 'a/b' });
  });

  it('logs a leadership change only when the leader differs from the last poll', () => {
    const view = (leader: string | null): ClusterDto => ({
      nodeId: 'n1',
      role: 'active',
      leader,
      placement: 'node',
      members: [],
      owners: null,
    });
    let log = noteLeader([], undefined, view('n1'), 1);
    log = noteLeader(log, view('n1'), view('n1'), 2);
    log = noteLeader(log, view('n1'), view(null), 3);
    log = noteLeader(log, view(null), view('n2'), 4);
    expect(log).toEqual([
      { atMs: 4, from: null, to: 'n2' },
      { atMs: 3, from: 'n1', to: null },
    ]);
  });
});
