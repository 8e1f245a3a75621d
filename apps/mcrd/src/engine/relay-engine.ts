// The part of @mcr/engine's Engine that mcrd uses. The real Engine satisfies it structurally;
// tests inject a fake, and only EngineModule constructs the real one.
import type {
  EngineEvent,
  EngineRelaySpec,
  EngineRole,
  InputCounts,
  QuerierOptions,
  QuerierSnapshot,
  RelayCounters,
} from '@mcr/engine';

export interface RelayEngine {
  addRelay(spec: EngineRelaySpec): string;
  updateRelay(id: string, spec: EngineRelaySpec): void;
  removeRelay(id: string): void;
  relayIds(): string[];
  stats(): RelayCounters[];
  /** Receive counts only: what input liveness polls 20 times a second. */
  inputCounts(): InputCounts;
  relayStats(id: string): RelayCounters | undefined;
  setRole(role: EngineRole): void;
  readonly role: EngineRole;
  /** MCR_PLACEMENT=relay: forward this relay only when this node owns it (synchronous, like setRole). */
  setRelayOwned(id: string, owned: boolean): void;
  /** Whether relays added from now on start owned (node placement) or wait for setRelayOwned. */
  setNewRelaysOwned(owned: boolean): void;
  /** Fencing (HA): workers stop sending once process.hrtime.bigint() passes this. */
  setForwardUntil(monotonicNs: bigint): void;
  clearForwardUntil(): void;
  /** Starts the IGMP/MLD querier; it follows setRole (only an active engine queries). */
  startQuerier(options: QuerierOptions): void;
  querier(): QuerierSnapshot | undefined;
  close(): void;
  readonly closed: boolean;
  /** What the engine was opened with; fakes may leave it out (the defaults then apply). */
  readonly options?: Readonly<{ socketBufferBytes: number }>;
  on(event: 'event', listener: (e: EngineEvent) => void): unknown;
  off(event: 'event', listener: (e: EngineEvent) => void): unknown;
}

/** The fields of an EngineError, read without importing the class (keeps this file fake-friendly). */
export interface EngineFailure {
  code: string;
  message: string;
  field?: string;
  value?: string;
  errno?: string;
}

export function asEngineFailure(err: unknown): EngineFailure | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_MCR_')) return undefined;
  const { field, value, errno } = err as { field?: string; value?: string; errno?: string };
  return { code, message: err.message, field, value, errno };
}
