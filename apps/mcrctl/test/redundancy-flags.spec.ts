// `add --in-b ...`: the B leg flags become the relay's redundancy, and every mistake is a
// UsageError naming the flag and the value.
import { redundancyFromFlags } from '../src/redundancy-flags';
import { UsageError } from '../src/usage-error';

describe('redundancyFromFlags', () => {
  it('is absent without --in-b', () => {
    expect(redundancyFromFlags({ sourceB: [] })).toBeUndefined();
  });

  it('reads the B leg, its sources and every setting', () => {
    expect(
      redundancyFromFlags({
        inB: 'eth2:239.1.2.1:5000',
        sourceB: ['10.2.0.5'],
        mode: 'failover',
        key: 'payload',
        windowMs: '80',
        lossMs: '200',
        revertMs: '5000',
      }),
    ).toEqual({
      input: { interface: 'eth2', group: '239.1.2.1', port: 5000, sources: ['10.2.0.5'] },
      mode: 'failover',
      key: 'payload',
      windowMs: 80,
      lossMs: 200,
      revertMs: 5000,
    });
  });

  it('merges by default and leaves the other settings to the service defaults', () => {
    expect(redundancyFromFlags({ inB: 'eth2:[ff3e::1]:5000' })).toEqual({
      input: { interface: 'eth2', group: 'ff3e::1', port: 5000 },
      mode: 'merge',
    });
  });

  it.each([
    [{ inB: 'eth2:239.1.2.1' }, "--in-b 'eth2:239.1.2.1': expected INTERFACE:ADDRESS:PORT"],
    [{ inB: 'eth2:239.1.2.1:5000', sourceB: ['x'] }, "--source-b 'x': not an IPv4 or IPv6 address"],
    [{ inB: 'eth2:239.1.2.1:5000', mode: 'both' }, "--mode must be 'merge' or 'failover', got 'both'"],
    [{ inB: 'eth2:239.1.2.1:5000', key: 'crc' }, "--key must be 'rtp' or 'payload', got 'crc'"],
    [{ inB: 'eth2:239.1.2.1:5000', windowMs: '0' }, "--window-ms must be an integer 1..1000, got '0'"],
    [{ inB: 'eth2:239.1.2.1:5000', windowMs: '1001' }, "--window-ms must be an integer 1..1000, got '1001'"],
    [{ inB: 'eth2:239.1.2.1:5000', lossMs: '5' }, "--loss-ms must be an integer 10..60000, got '5'"],
    [{ windowMs: '50' }, '--window-ms needs --in-b (the B leg)'],
    [{ sourceB: ['10.2.0.5'] }, '--source-b needs --in-b (the B leg)'],
  ])('refuses %j', (flags, message) => {
    expect(() => redundancyFromFlags(flags)).toThrow(new UsageError(message, 'add'));
  });
});
