// Units for the operator's eye: counters, packet rates, bit rates and ages as short strings that
// fit in a table column. Pure functions, so the tables and `stats --watch` format alike.

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'];
const BITS_PER_MEGABIT = 1_000_000;
const MS_PER_SECOND = 1000;

/**
 * Counters arrive as JSON numbers, or as decimal strings when the service serialises 64-bit
 * counters losslessly; anything else is "unknown" rather than a misleading zero.
 */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Exact below 10,000 (small counts are read digit by digit), 3 significant digits above. */
export function formatCount(value: number | undefined): string {
  if (value === undefined) return '-';
  if (Math.abs(value) < 10_000) return String(Math.round(value));
  let scaled = value;
  let prefix = 0;
  while (Math.abs(scaled) >= 1000 && prefix < SI_PREFIXES.length - 1) {
    scaled /= 1000;
    prefix += 1;
  }
  return `${scaled.toPrecision(3)}${SI_PREFIXES[prefix]}`;
}

/** Packets per second: whole numbers below 10k, SI-scaled above ("12.3k"). */
export function formatPacketRate(packetsPerSecond: number | undefined): string {
  return formatCount(packetsPerSecond);
}

/** Bits per second as Mbit/s with two decimals: "0.00" reads as "idle", "-" as "unknown". */
export function formatMbit(bitsPerSecond: number | undefined): string {
  if (bitsPerSecond === undefined) return '-';
  return (bitsPerSecond / BITS_PER_MEGABIT).toFixed(2);
}

/** Time since an event given as wall-clock ms; "never" when the service reports none. */
export function formatAge(atMs: number | null | undefined, nowMs: number): string {
  if (atMs === null || atMs === undefined) return 'never';
  const seconds = Math.max(0, Math.round((nowMs - atMs) / MS_PER_SECOND));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
