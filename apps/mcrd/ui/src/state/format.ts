// Numbers as an operator reads them: SI prefixes for rates and counts, ages in words.
const PREFIXES = ['', 'k', 'M', 'G', 'T'];

/** 213000000 bit/s -> "213 Mbit/s": three significant digits, an SI prefix glued to the unit. */
export function withUnit(value: number, unit: string): string {
  let scaled = value;
  let prefix = 0;
  while (Math.abs(scaled) >= 1000 && prefix < PREFIXES.length - 1) {
    scaled /= 1000;
    prefix++;
  }
  return `${Number(scaled.toPrecision(3))} ${PREFIXES[prefix]}${unit}`;
}

export function bitRate(bitsPerSecond: number): string {
  return withUnit(bitsPerSecond, 'bit/s');
}

export function packetRate(packetsPerSecond: number): string {
  return withUnit(packetsPerSecond, 'pkt/s');
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** "3 s ago", "5 min ago", "never"; `nowMs` passed in so the function stays pure. */
export function age(iso: string | null, nowMs: number): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
