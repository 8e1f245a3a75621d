// Small pure pieces of the HTTP layer: If-Match parsing, change descriptions, import planning,
// rate computation.
import type { RelayCounters } from '@mcr/engine';
import type { Relay } from '@mcr/model';
import { describeChanges } from '../src/relays/change-diff';
import { parseIfMatch, revisionToExpect, writeCondition } from '../src/relays/if-match';
import { RateTracker } from '../src/stats/rate-tracker';
import { planImport } from '../src/transfer/import-plan';
import { zeroOutputCounters, zeroRelayCounters } from './support/zero-counters';

describe('If-Match (RFC 9110 13.1.1)', () => {
  it.each([
    ['"7"', [7]],
    ['*', undefined],
    [undefined, undefined],
    ['"7", "8"', [7, 8]],
    ['"3","7" , "9"', [3, 7, 9]],
    ['W/"7"', []],
    ['7', []],
    ['"abc"', []],
    ['"abc", "7"', [7]],
  ])('%p -> %p', (header, revisions) => {
    expect(parseIfMatch(header)).toEqual(revisions);
  });

  it('matches when the list contains the current revision, anywhere in it', () => {
    expect(revisionToExpect(7, parseIfMatch('"3", "7"'))).toBe(7);
    expect(revisionToExpect(7, parseIfMatch('"7", "9"'))).toBe(7);
    expect(revisionToExpect(7, undefined)).toBeUndefined();
  });

  it('leaves one listed revision to the store, which holds the revision a cache may trail', () => {
    expect(revisionToExpect(7, parseIfMatch('"8"'))).toBe(8);
  });

  it('answers 412 naming the current ETag when the list does not contain it', () => {
    expect(() => revisionToExpect(7, parseIfMatch('"3", "8"'))).toThrow(
      'the relay is at revision 7 (ETag "7"); the request allows "3", "8"',
    );
    expect(() => revisionToExpect(7, parseIfMatch('W/"7"'))).toThrow('allows no strong ETag');
  });

  it('refuses a body revision the header does not list (412), accepts either alone', () => {
    expect(() => writeCondition('"3"', 4)).toThrow(/does not list the body revision 4/);
    expect(writeCondition('"3", "4"', 4)).toEqual([4]);
    expect(writeCondition('"3"', 3)).toEqual([3]);
    expect(writeCondition(undefined, 4)).toEqual([4]);
  });
});

describe('describeChanges', () => {
  it('names every changed path with old and new values', () => {
    const before = { name: 'a', input: { port: 5000 }, outputs: [{ port: 6000 }] };
    const after = { name: 'a', input: { port: 5001 }, outputs: [{ port: 6000, dscp: 46 }, { port: 6001 }] };
    expect(describeChanges(before, after)).toEqual([
      'input.port: 5000 -> 5001',
      'outputs[0].dscp: (unset) -> 46',
      'outputs[1]: (unset) -> {"port":6001}',
    ]);
    expect(describeChanges(before, structuredClone(before))).toEqual([]);
  });
});

describe('planImport', () => {
  const relay = (id: string, name: string, port: number): Relay => ({
    id,
    name,
    enabled: true,
    revision: 1,
    input: { interface: 'eth0', group: '239.1.1.1', port },
    outputs: [{ interface: 'eth1', group: '239.2.2.2', port, ttl: 1, dscp: 0 }],
  });
  const current = [relay('1', 'a', 5000), relay('2', 'b', 5001)];

  it('sorts rules into create, replace and unchanged by name; merge keeps the rest', () => {
    const { id: _id, revision: _rev, ...sameA } = current[0];
    const plan = planImport([sameA, { ...sameA, name: 'c' }, { ...relay('x', 'b', 5009) }], current, 'merge');
    expect(plan.unchanged.map((r) => r.name)).toEqual(['a']);
    expect(plan.create.map((c) => [c.index, c.spec.name])).toEqual([[1, 'c']]);
    expect(plan.replace.map((r) => [r.index, r.id])).toEqual([[2, '2']]);
    expect(plan.delete).toEqual([]);
  });

  it('mode=replace deletes relays the file does not name', () => {
    const { id: _id, revision: _rev, ...sameA } = current[0];
    expect(planImport([sameA], current, 'replace').delete.map((r) => r.id)).toEqual(['2']);
  });
});

describe('RateTracker', () => {
  const counters = (packets: bigint): RelayCounters =>
    zeroRelayCounters({
      id: 'r',
      name: 'r',
      enabled: true,
      packetsIn: packets,
      bytesIn: packets * 100n,
      outputs: [zeroOutputCounters({ packets, bytes: packets * 100n })],
    });

  it('computes packets/s and bits/s over the sampled window, never negative', () => {
    let now = 0;
    let current = counters(0n);
    const tracker = new RateTracker(
      () => [current],
      () => now,
    );
    tracker.sample();
    now = 2000;
    current = counters(20000n);
    const rates = tracker.rates(current);
    expect(rates).toMatchObject({ windowSeconds: 2, packetsInPerSecond: 10000, bitsInPerSecond: 8_000_000 });
    expect(rates.outputs[0]).toEqual({ packetsPerSecond: 10000, bitsPerSecond: 8_000_000 });
    expect(tracker.rates(counters(0n)).packetsInPerSecond).toBe(0);
  });
});
