// MemberPublisher: the member record is written when it changes, on a new lease, or once per refresh
// interval, never on every leadership tick (each put is an fsync on every etcd member).
import type { MemberRecord } from '../src/cluster/leadership-store';
import { MemberPublisher } from '../src/cluster/member-publisher';

function setup(refreshMs = 2_000) {
  let nowMs = 0;
  const written: { record: MemberRecord; leaseId: string }[] = [];
  const publisher = new MemberPublisher({
    publish: async (record, leaseId) => {
      written.push({ record, leaseId });
    },
    refreshMs,
    now: () => nowMs,
  });
  return { publisher, written, advance: (ms: number) => (nowMs += ms) };
}

const record = (role: 'active' | 'standby', lastSeen: string, maintenance = false): MemberRecord => ({
  nodeId: 'relay-a',
  role,
  maintenance,
  lastSeen,
});

describe('MemberPublisher', () => {
  it('skips an unchanged record within the refresh interval, even though lastSeen moved', async () => {
    const { publisher, written, advance } = setup();
    expect(await publisher.maybePublish(record('standby', 't0'), 'L1')).toBe(true);
    advance(500);
    expect(await publisher.maybePublish(record('standby', 't1'), 'L1')).toBe(false);
    advance(1_499);
    expect(await publisher.maybePublish(record('standby', 't2'), 'L1')).toBe(false);
    expect(written).toHaveLength(1);
  });

  it('refreshes lastSeen once the interval has passed', async () => {
    const { publisher, written, advance } = setup();
    await publisher.maybePublish(record('standby', 't0'), 'L1');
    advance(2_000);
    expect(await publisher.maybePublish(record('standby', 't1'), 'L1')).toBe(true);
    expect(written.map((w) => w.record.lastSeen)).toEqual(['t0', 't1']);
  });

  it('publishes at once when the role or maintenance flag changes, or the lease is new', async () => {
    const { publisher, written } = setup();
    await publisher.maybePublish(record('standby', 't0'), 'L1');
    await publisher.maybePublish(record('active', 't1'), 'L1');
    await publisher.maybePublish(record('active', 't2', true), 'L1');
    await publisher.maybePublish(record('active', 't3', true), 'L2');
    expect(written.map((w) => [w.record.role, w.record.maintenance, w.leaseId])).toEqual([
      ['standby', false, 'L1'],
      ['active', false, 'L1'],
      ['active', true, 'L1'],
      ['active', true, 'L2'],
    ]);
  });

  it('a failed write is retried on the next call', async () => {
    let fail = true;
    const publisher = new MemberPublisher({
      publish: async () => {
        if (fail) throw new Error('etcd unavailable');
      },
      refreshMs: 2_000,
      now: () => 0,
    });
    await expect(publisher.maybePublish(record('standby', 't0'), 'L1')).rejects.toThrow('etcd unavailable');
    fail = false;
    expect(await publisher.maybePublish(record('standby', 't1'), 'L1')).toBe(true);
  });
});
