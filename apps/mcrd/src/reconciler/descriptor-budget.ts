// File descriptors and relays: what the configured relays cost (libs/contract `descriptors`), the
// process's open-files limit, the start-up line that compares them, and which engine errnos mean
// "no descriptor left" (a node that cannot open sockets is not healthy).
import { closeSync, openSync, readFileSync } from 'node:fs';
import { descriptors } from '@mcr/contract';
import type { Relay } from '@mcr/model';

/** Errnos of a relay that failed for want of descriptors: the process's limit, or the system's. */
const DESCRIPTOR_ERRNOS: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE']);
const LIMITS_PATH = '/proc/self/limits';

export interface DescriptorBudgetLine {
  level: 'log' | 'warn';
  fields: Record<string, number>;
  message: string;
}

export function isDescriptorErrno(errno: string | undefined): boolean {
  return errno !== undefined && DESCRIPTOR_ERRNOS.has(errno);
}

/**
 * Whether this process can open one more descriptor now, tried on /dev/null (a socket takes a
 * slot of the same table): the errno when it cannot for want of one, else undefined.
 */
export function descriptorTableFull(): string | undefined {
  try {
    closeSync(openSync('/dev/null', 'r'));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return isDescriptorErrno(code) ? code : undefined;
  }
}

/** Descriptors the engine holds for `relays`: one per relay (its ingress) and one per output. */
export function relayDescriptors(relays: readonly Pick<Relay, 'outputs'>[]): number {
  return relays.reduce((sum, relay) => sum + descriptors.perRelay + descriptors.perOutput * relay.outputs.length, 0);
}

/** The soft RLIMIT_NOFILE ("Max open files") of this process; undefined when unlimited or unreadable. */
export function readOpenFilesLimit(path = LIMITS_PATH): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  const limit = soft === undefined ? Number.NaN : Number(soft);
  return Number.isSafeInteger(limit) ? limit : undefined;
}

/** One line at start-up: a warning when the limit cannot hold the relays and mcrd's own reserve. */
export function descriptorBudgetLine(
  relays: readonly Pick<Relay, 'outputs'>[],
  openFilesLimit: number | undefined,
): DescriptorBudgetLine {
  const needed = relayDescriptors(relays);
  const fields = { relays: relays.length, relayDescriptors: needed, reserve: descriptors.reserve };
  if (openFilesLimit === undefined) {
    return { level: 'log', fields, message: `the ${relays.length} relays hold ${needed} file descriptors` };
  }
  const total = needed + descriptors.reserve;
  const budget = { ...fields, openFilesLimit };
  if (total <= openFilesLimit) {
    return {
      level: 'log',
      fields: budget,
      message: `the ${relays.length} relays hold ${needed} file descriptors; the open-files limit is ${openFilesLimit}`,
    };
  }
  return {
    level: 'warn',
    fields: budget,
    message:
      `the open-files limit (RLIMIT_NOFILE) is ${openFilesLimit}, but the ${relays.length} relays need ` +
      `${needed} file descriptors (one per relay and one per output) plus about ${descriptors.reserve} for mcrd ` +
      `itself: relays beyond the limit fail with EMFILE. Raise it to at least ${total} ` +
      '(LimitNOFILE= in the systemd unit, or ulimit -n)',
  };
}
