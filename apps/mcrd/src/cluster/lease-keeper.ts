// The lease this node's leadership hangs on: granted and renewed by mcrd itself (not hidden in a
// client library), so every acknowledged renewal gives a fencing deadline on the monotonic clock:
// send time of that renewal + granted TTL − margin. etcd can only expire the lease after it.
import type { Etcd3 } from '@mcr/store';
import { systemClock, type Clock } from './clock';

/** Slack for a batch in flight and timer granularity; the deadline stays before the lease expiry. */
export const FENCE_MARGIN_MS = 250;
/** Renewals per TTL: one lost renewal still leaves two chances before the deadline. */
const RENEWALS_PER_TTL = 4;
/**
 * Keepalive attempts per renewal. Each attempt goes to an etcd member picked at random (the
 * client's pool), so with one member of three down a renewal that only tried once would fail a
 * third of the time, and three such failures in a row fence a healthy active. A failed attempt
 * also counts against that member's circuit breaker, so the next one skips it.
 */
const ATTEMPTS_PER_RENEWAL = 3;
const NS_PER_MS = 1_000_000n;

export interface LeaseEvents {
  /** A grant or renewal was acknowledged: forwarding is safe until `deadlineNs` (hrtime). */
  renewed(deadlineNs: bigint): void;
  /** etcd says the lease is gone (expired or revoked): leadership is lost. */
  lost(reason: string): void;
  /** A renewal got no answer (etcd unreachable); the deadline simply stops moving. */
  failed(reason: string): void;
}

/** What an HA node needs of its lease; LeaseKeeper provides it. */
export interface Lease {
  /** undefined before the grant and once etcd said the lease is gone (the next tick grants anew). */
  readonly id: string | undefined;
  readonly renewIntervalMs: number;
  start(): void;
  stop(revoke: boolean): Promise<void>;
}

export class LeaseKeeper implements Lease {
  private leaseId?: string;
  private timer?: NodeJS.Timeout;
  private renewing = false;
  private stopped = false;

  constructor(
    private readonly client: Etcd3,
    private readonly ttlS: number,
    private readonly events: LeaseEvents,
    private readonly clock: Clock = systemClock,
  ) {}

  get id(): string | undefined {
    return this.leaseId;
  }

  get renewIntervalMs(): number {
    return Math.max(100, Math.floor((this.ttlS * 1000) / RENEWALS_PER_TTL));
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.renewIntervalMs);
    void this.tick();
  }

  /** Stops renewing; with `revoke`, ends the lease now (its keys vanish: a fast, clean handover). */
  async stop(revoke: boolean): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const id = this.leaseId;
    this.leaseId = undefined;
    if (revoke && id !== undefined) {
      await this.client.leaseClient
        .leaseRevoke({ ID: id }, { deadline: this.clock.nowMs() + 1_000 })
        .catch(() => undefined);
    }
  }

  private async tick(): Promise<void> {
    if (this.renewing || this.stopped) return;
    this.renewing = true;
    try {
      if (this.leaseId === undefined) await this.grant();
      else await this.renewOnAnyMember(this.leaseId);
    } catch (error) {
      this.events.failed((error as Error).message);
    } finally {
      this.renewing = false;
    }
  }

  private async grant(): Promise<void> {
    const sent = this.clock.nowNs();
    const response = await this.client.leaseClient.leaseGrant(
      { TTL: this.ttlS, ID: 0 },
      { deadline: this.clock.nowMs() + this.timeoutMs() },
    );
    if (this.stopped) return;
    this.leaseId = response.ID;
    this.events.renewed(this.deadline(sent, Number(response.TTL)));
  }

  /** Retries on another member while the renewal's time budget lasts; throws the last failure. */
  private async renewOnAnyMember(id: string): Promise<void> {
    const budgetEnd = this.clock.nowMs() + this.timeoutMs();
    for (let attempt = 1; ; attempt++) {
      const deadline = Math.min(budgetEnd, this.clock.nowMs() + this.attemptTimeoutMs());
      try {
        await this.renew(id, deadline);
        return;
      } catch (error) {
        if (this.stopped || attempt >= ATTEMPTS_PER_RENEWAL || this.clock.nowMs() >= budgetEnd) throw error;
      }
    }
  }

  /** One keepalive on its own short-lived stream with a deadline: a dead connection cannot hang it. */
  private async renew(id: string, deadline: number): Promise<void> {
    const sent = this.clock.nowNs();
    const stream = await this.client.leaseClient.leaseKeepAlive({ deadline });
    const response = await new Promise<{ TTL: string }>((resolve, reject) => {
      stream.on('data', resolve);
      stream.on('error', reject);
      stream.on('end', () => reject(new Error('keepalive stream ended without an answer')));
      stream.write({ ID: id });
    }).finally(() => stream.end());
    if (this.stopped || this.leaseId !== id) return;
    const ttl = Number(response.TTL);
    if (ttl <= 0) {
      this.leaseId = undefined;
      this.events.lost(`lease ${id} expired on the etcd server`);
      return;
    }
    this.events.renewed(this.deadline(sent, ttl));
  }

  /** A renewal older than the TTL is worthless: give up on it well before. */
  private timeoutMs(): number {
    return Math.max(200, Math.floor((this.ttlS * 1000) / 2));
  }

  /** One attempt may not use the whole budget: a member that does not answer leaves time for another. */
  private attemptTimeoutMs(): number {
    return Math.max(150, Math.floor(this.timeoutMs() / ATTEMPTS_PER_RENEWAL));
  }

  private deadline(sentNs: bigint, grantedTtlS: number): bigint {
    return sentNs + BigInt(grantedTtlS * 1000 - FENCE_MARGIN_MS) * NS_PER_MS;
  }
}
