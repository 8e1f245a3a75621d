// InputHandover with time passed in: a changed live-input count is published at once, then at most
// every 100 ms; a leading node hands over once per pending handover; a standby never does.
import { HANDOVER_HOLD_DOWN_MS, InputHandover } from '../src/cluster/input-handover';
import type { MemberRecord } from '../src/cluster/leadership-store';

const POLL_MS = 50;

function setup(relays = ['r']) {
  const feed = { receiving: true, packetsIn: 0, relays };
  const published: number[] = [];
  const handOvers: string[] = [];
  let finishHandover = (): void => undefined;
  const warnings: string[] = [];
  const handover = new InputHandover({
    nodeId: 'a',
    inputs: () => {
      if (feed.receiving) feed.packetsIn += 10;
      return { ids: feed.relays, packetsIn: feed.relays.map(() => feed.packetsIn) };
    },
    publish: () => published.push(handover.publishedLive),
    handOver: (to) => {
      handOvers.push(to);
      return new Promise<void>((resolve) => (finishHandover = resolve));
    },
    logger: { warn: (_fields: unknown, text?: unknown) => void warnings.push(String(text)) },
  });
  return { feed, published, handOvers, warnings, handover, finish: () => finishHandover() };
}

const member = (nodeId: string, liveInputs: number): MemberRecord => ({
  nodeId,
  role: 'standby',
  maintenance: false,
  lastSeen: '2026-12-04T00:00:00.000Z',
  liveInputs,
});

/** Polls every 50 ms from `fromMs` for `ms`; returns the time of the last poll. */
function pollFor(
  handover: InputHandover,
  fromMs: number,
  ms: number,
  leading: boolean,
  members: MemberRecord[] = [],
): number {
  let t = fromMs;
  for (; t < fromMs + ms; t += POLL_MS) handover.poll(t, leading, members);
  return t - POLL_MS;
}

describe('InputHandover', () => {
  it('publishes a changed count at once, a change within 100 ms of that only once the 100 ms have passed', () => {
    const { feed, published, handover } = setup();
    handover.poll(0, false, []); // the counter is met: not alive yet
    handover.poll(50, false, []); // it moved: alive, published
    expect(published).toEqual([1]);
    pollFor(handover, 100, 500, false);
    expect(published).toEqual([1]); // unchanged: nothing written
    feed.relays = []; // the relay is removed: 0 live at once
    handover.poll(600, false, []);
    expect(published).toEqual([1, 0]);
    feed.relays = ['r2']; // a new relay that receives: alive at its second sample
    handover.poll(650, false, []);
    handover.poll(700, false, []); // 1 live again, 100 ms after the last publish: written
    expect(published).toEqual([1, 0, 1]);
    feed.relays = [];
    handover.poll(750, false, []); // 0 live, 50 ms after the last publish: held back
    expect(published).toEqual([1, 0, 1]);
    handover.poll(800, false, []);
    expect(published).toEqual([1, 0, 1, 0]);
  });

  it('a leading node hands over once after the hold-down, and not again while that handover runs', () => {
    const { feed, handOvers, warnings, handover, finish } = setup();
    const peers = [member('a', 0), member('b', 1)];
    pollFor(handover, 0, 500, true, peers);
    expect(handOvers).toEqual([]); // alive here too: a is not worse than b
    feed.receiving = false;
    pollFor(handover, 500, 150 + 50 + HANDOVER_HOLD_DOWN_MS + 100, true, peers);
    expect(handOvers).toEqual(['b']);
    expect(warnings).toEqual([
      expect.stringMatching(/^handing over: input silent on a for \d+ ms \(0 of 1 inputs alive\), alive on b \(1\)$/),
    ]);
    pollFor(handover, 2_000, 1_000, true, peers);
    expect(handOvers).toEqual(['b']); // still in flight
    finish();
  });

  it('a standby never hands over, however much better a peer is', () => {
    const { feed, handOvers, handover } = setup();
    feed.receiving = false;
    pollFor(handover, 0, 3_000, false, [member('b', 5)]);
    expect(handOvers).toEqual([]);
  });
});
