// An abortable sleep for polling loops: Ctrl-C ends the wait at once instead of after the tick.
import { setTimeout as delay } from 'node:timers/promises';

/** Resolves after `ms`, or early (without throwing) when `signal` aborts; false if aborted. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
