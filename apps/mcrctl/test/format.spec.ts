// Units: exact small counts, SI-scaled large ones, Mbit/s with two decimals, ages.
import { formatAge, formatCount, formatMbit, formatPacketRate, toNumber } from '../src/format';

describe('format', () => {
  it.each([
    [undefined, '-'],
    [0, '0'],
    [9999, '9999'],
    [12_345, '12.3k'],
    [1_000_000, '1.00M'],
    [2_500_000_000, '2.50G'],
  ])('formatCount(%p) = %p', (value, text) => {
    expect(formatCount(value)).toBe(text);
  });

  it('formats packet rates like counts, rounding fractions', () => {
    expect(formatPacketRate(99.6)).toBe('100');
    expect(formatPacketRate(250_000)).toBe('250k');
  });

  it.each([
    [undefined, '-'],
    [0, '0.00'],
    [1_234_567, '1.23'],
    [10_000_000_000, '10000.00'],
  ])('formatMbit(%p) = %p', (bps, text) => {
    expect(formatMbit(bps)).toBe(text);
  });

  it('reads counters sent as numbers or decimal strings, nothing else', () => {
    expect(toNumber(5)).toBe(5);
    expect(toNumber('18446744073709551615')).toBeCloseTo(1.8446744073709552e19);
    expect(toNumber('12')).toBe(12);
    expect(toNumber('')).toBeUndefined();
    expect(toNumber('abc')).toBeUndefined();
    expect(toNumber(null)).toBeUndefined();
    expect(toNumber(Number.NaN)).toBeUndefined();
  });

  it.each([
    [null, 'never'],
    [undefined, 'never'],
    [100_000 - 4_000, '4s ago'],
    [100_000 - 90_000, '1m ago'],
  ])('formatAge(%p) at 100000 = %p', (at, text) => {
    expect(formatAge(at, 100_000)).toBe(text);
  });
});
