// Reads the routes file a bench program is started with (written by the harness, trusted shape,
// but checked so a mistake names the field instead of failing deep inside a socket call).
import { readFileSync } from 'node:fs';
import type { Route } from '../relays/relay';

export interface RelayProgramConfig {
  routes: Route[];
  inputInterface: string;
  inputAddress: string;
  outputInterface: string;
  outputAddress: string;
  ttl: number;
  socketBufferBytes: number;
  /** Engine relays only: who forwards (engine option `datapath`); absent = the engine's default. */
  datapath?: 'socket' | 'ebpf';
}

export function readProgramConfig(file: string): RelayProgramConfig {
  const config = JSON.parse(readFileSync(file, 'utf8')) as RelayProgramConfig;
  if (!Array.isArray(config.routes) || config.routes.length === 0) {
    throw new Error(`${file}: routes must be a non-empty list, got ${JSON.stringify(config.routes)}`);
  }
  return config;
}

/** Writes the ready file atomically, as mcrsink does, so the harness never reads half of it. */
export function readyPayload(): string {
  return JSON.stringify({ pid: process.pid });
}
