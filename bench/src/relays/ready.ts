// Waits until a relay's sockets exist in the relay namespace: the one readiness signal that works
// for relays that cannot tell us themselves (socat, mcrd's engine behind the API).
import { existsSync, readFileSync } from 'node:fs';
import { sleep } from '../proc';
import { readInNs, RELAY_NS } from '../topology';

/** UDP sockets in the relay namespace bound to one of the given local ports. */
export async function boundUdpSockets(ports: Set<number>): Promise<number> {
  const table = await readInNs(RELAY_NS, '/proc/net/udp');
  let count = 0;
  for (const line of table.split('\n').slice(1)) {
    const local = line.trim().split(/\s+/)[1];
    if (local && ports.has(parseInt(local.split(':')[1], 16))) count += 1;
  }
  return count;
}

/** Polls a condition every 50 ms; throws with the description when the time runs out. */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean> | boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits for a ready file a bench program writes once its sockets are open; reads it as JSON. */
export async function waitForReadyFile(path: string, timeoutMs: number, alive: () => boolean): Promise<unknown> {
  await waitUntil(`ready file ${path}`, timeoutMs, () => {
    if (!alive()) throw new Error(`the process that should write ${path} exited first`);
    return existsSync(path);
  });
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}
