// errno numbers to their symbolic names ("ENETUNREACH"), from Node's own table, so the addon
// needs no libc extension (glibc's strerrorname_np does not exist on musl).
import { constants } from 'node:os';

const NAMES = new Map<number, string>();
for (const [name, number] of Object.entries(constants.errno)) {
  if (!NAMES.has(number)) NAMES.set(number, name); // EAGAIN before its alias EWOULDBLOCK
}

/** errno 0 is the engine's "other" slot: errors beyond the ones it counts one by one. */
export function errnoName(errno: number): string {
  if (errno === 0) return 'OTHER';
  return NAMES.get(errno) ?? `E${errno}`;
}
