// Runs an @mcr/engine Engine in a child process (inside the relay namespace) and serves the
// parent's calls over the IPC channel. Started by RemoteEngine; compiled to test/dist.
import { Engine, EngineError, type EngineOptions } from '@mcr/engine';

interface Request {
  id: number;
  method: string;
  args: unknown[];
}

let engine: Engine | undefined;
const events: unknown[] = [];

function busyLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // keep the JavaScript thread busy on purpose: the workers must not care
  }
}

const nowNs = (): bigint => process.hrtime.bigint();

function forwarded(id: string): bigint {
  return engine?.relayStats(id)?.outputs[0]?.packets ?? 0n;
}

/**
 * Promotes the engine and spins until relay `id` forwards. Returns microseconds from the call to
 * its return (setRole waits for every worker) and to the first forwarded datagram.
 */
function promoteTimed(id: string): { setRoleUs: number; firstForwardUs: number } {
  const before = forwarded(id);
  const start = nowNs();
  engine?.setRole('active');
  const returned = nowNs();
  const deadline = start + 2_000_000_000n;
  while (forwarded(id) === before) {
    if (nowNs() > deadline) throw new Error('nothing forwarded within 2 s of the promotion');
  }
  return { setRoleUs: Number(returned - start) / 1000, firstForwardUs: Number(nowNs() - start) / 1000 };
}

/**
 * Sets a fence deadline `inMs` ahead and watches relay `id` across it: how long after the
 * deadline the first datagram was held back, and how many were still forwarded after it.
 */
function fenceTimed(id: string, inMs: number): { reactionUs: number; forwardedAfterDeadline: number } {
  const deadline = nowNs() + BigInt(inMs) * 1_000_000n;
  engine?.setForwardUntil(deadline);
  let atDeadline: bigint | undefined;
  const heldBefore = engine?.relayStats(id)?.heldByFence ?? 0n;
  for (;;) {
    const stats = engine?.relayStats(id);
    const now = nowNs();
    if (atDeadline === undefined && now >= deadline) atDeadline = stats?.outputs[0]?.packets ?? 0n;
    if (atDeadline !== undefined && (stats?.heldByFence ?? 0n) > heldBefore) {
      return {
        reactionUs: Number(now - deadline) / 1000,
        forwardedAfterDeadline: Number((stats?.outputs[0]?.packets ?? 0n) - atDeadline),
      };
    }
    if (now > deadline + 2_000_000_000n) throw new Error('nothing held back within 2 s of the deadline');
  }
}

function dispatch(method: string, args: unknown[]): unknown {
  if (method === 'open') {
    engine = new Engine(args[0] as EngineOptions);
    engine.on('event', (event) => events.push(event));
    return null;
  }
  if (!engine) throw new Error('engine not open');
  switch (method) {
    case 'addRelay':
      return engine.addRelay(args[0] as Parameters<Engine['addRelay']>[0]);
    case 'updateRelay':
      engine.updateRelay(args[0] as string, args[1] as Parameters<Engine['updateRelay']>[1]);
      return null;
    case 'removeRelay':
      engine.removeRelay(args[0] as string);
      return null;
    case 'stats':
      return engine.stats();
    case 'relayStats':
      return engine.relayStats(args[0] as string) ?? null;
    case 'setRole':
      engine.setRole(args[0] as 'active' | 'standby');
      return null;
    case 'setForwardUntilInMs':
      engine.setForwardUntil(process.hrtime.bigint() + BigInt(args[0] as number) * 1_000_000n);
      return null;
    case 'clearForwardUntil':
      engine.clearForwardUntil();
      return null;
    case 'promoteTimed':
      return promoteTimed(args[0] as string);
    case 'fenceTimed':
      return fenceTimed(args[0] as string, args[1] as number);
    case 'busyLoop':
      busyLoop(args[0] as number);
      return null;
    case 'events':
      return events.splice(0);
    case 'close':
      engine.close();
      return null;
    default:
      throw new Error(`unknown method ${method}`);
  }
}

process.on('message', (message: Request) => {
  let reply: { id: number; result?: unknown; error?: Record<string, unknown> };
  try {
    reply = { id: message.id, result: dispatch(message.method, message.args) };
  } catch (error) {
    const e = error as Error & Partial<EngineError>;
    reply = {
      id: message.id,
      error: { message: e.message, code: e.code, field: e.field, value: e.value, errno: e.errno },
    };
  }
  process.send?.(reply);
});
process.on('disconnect', () => {
  engine?.close();
});
