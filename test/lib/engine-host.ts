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
    reply = { id: message.id, error: { message: e.message, code: e.code, field: e.field, value: e.value, errno: e.errno } };
  }
  process.send?.(reply);
});
process.on('disconnect', () => {
  engine?.close();
});
