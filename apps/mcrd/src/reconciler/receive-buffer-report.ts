// Start-up report of each relay's ingress receive buffer: what the kernel granted, and a warning
// naming net.core.rmem_max when it granted less than the engine asked for (bursts then overflow).
import { readFileSync } from 'node:fs';
import type { RelayCounters } from '@mcr/engine';
import type { RelayEngine } from '../engine/relay-engine';

/** The engine's default request (EngineOptions.socketBufferBytes). */
export const DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
/** Linux doubles a SO_RCVBUF request for its bookkeeping, and getsockopt reads back the double. */
const KERNEL_RCVBUF_FACTOR = 2;
const RMEM_MAX_PATH = '/proc/sys/net/core/rmem_max';

export interface ReceiveBufferLine {
  level: 'log' | 'warn';
  fields: Record<string, string | number>;
  message: string;
}

export type RelayBuffer = Pick<RelayCounters, 'id' | 'name' | 'rcvbufBytes'>;

/** The engine's requested buffer size: its options when it exposes them, else the default. */
export function requestedSocketBufferBytes(engine: Pick<RelayEngine, 'options'>): number {
  return engine.options?.socketBufferBytes ?? DEFAULT_SOCKET_BUFFER_BYTES;
}

/** net.core.rmem_max of this network namespace; undefined where /proc is not readable. */
export function readRmemMax(path = RMEM_MAX_PATH): number | undefined {
  try {
    const value = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function receiveBufferLine(
  relay: RelayBuffer,
  requestedBytes: number,
  rmemMax: number | undefined,
): ReceiveBufferLine {
  const who = `relay ${relay.id} (${relay.name})`;
  const fields = { relayId: relay.id, relayName: relay.name, rcvbufBytes: relay.rcvbufBytes, requestedBytes };
  if (relay.rcvbufBytes <= 0) {
    return { level: 'log', fields, message: `${who}: no ingress socket open yet (its interface is down or gone)` };
  }
  const grantedBytes = Math.floor(relay.rcvbufBytes / KERNEL_RCVBUF_FACTOR);
  if (grantedBytes >= requestedBytes) {
    return {
      level: 'log',
      fields,
      message: `${who}: ingress receive buffer ${grantedBytes} bytes as requested (SO_RCVBUF reads ${relay.rcvbufBytes}, the kernel doubles it)`,
    };
  }
  const now = rmemMax === undefined ? '' : ` (now ${rmemMax})`;
  return {
    level: 'warn',
    fields,
    message:
      `${who}: the kernel capped the ingress receive buffer at ${grantedBytes} bytes, below the ${requestedBytes} requested, ` +
      `so bursts overflow sooner (drops.rxqOverflow); raise net.core.rmem_max${now} to at least ${requestedBytes} ` +
      `(sysctl -w net.core.rmem_max=${requestedBytes}) or run mcrd with CAP_NET_ADMIN`,
  };
}
