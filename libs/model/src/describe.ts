// How rule messages show values and endpoints: strings in single quotes with control characters
// escaped, everything else as JSON, long values cut, so every message names the bad value safely.
import { addressFamily } from './address';

const MAX_SHOWN_CHARS = 80;

/** A value as it appears in an error message: `'eth 0'`, `70000`, `null`, `nothing`. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${cut(JSON.stringify(value).slice(1, -1))}'`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return cut(JSON.stringify(value) ?? String(value));
}

/** `eth1 239.2.2.2:6000` or `eth1 [ff3e::1]:6000`. */
export function describeEndpoint(endpoint: { interface: string; group: string; port: number }): string {
  const host = addressFamily(endpoint.group) === 6 ? `[${endpoint.group}]` : endpoint.group;
  return `${endpoint.interface} ${host}:${endpoint.port}`;
}

function cut(text: string): string {
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}...` : text;
}
