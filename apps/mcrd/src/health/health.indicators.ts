// The checks behind /livez, /readyz, /healthz and /healthz/active, as terminus indicators.
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RelayStore } from '@mcr/store';
import { ClusterService } from '../cluster/cluster.service';
import type { RelayEngine } from '../engine/relay-engine';
import { descriptorTableFull } from '../reconciler/descriptor-budget';
import { Reconciler } from '../reconciler/reconciler.service';
import { RELAY_ENGINE, RELAY_STORE } from '../tokens';
import { EVENT_LOOP_SAMPLE_MS } from './event-loop-sampling';
import { Lifecycle } from './lifecycle.service';

/** An event loop that stalls this long (p99 over the last sample) is not live. */
const MAX_EVENT_LOOP_DELAY_MS = 5_000;
const STORE_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthIndicators {
  private readonly loopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly lifecycle: Lifecycle,
    private readonly reconciler: Reconciler,
    @Inject(RELAY_STORE) private readonly relayStore: RelayStore,
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    private readonly cluster: ClusterService,
  ) {
    this.loopDelay.enable();
  }

  eventLoop(): HealthIndicatorResult {
    const p99Ms = Math.round(this.loopDelay.percentile(99) / 1e6);
    this.loopDelay.reset();
    const session = this.health.check('eventLoop');
    return p99Ms <= MAX_EVENT_LOOP_DELAY_MS ? session.up({ p99DelayMs: p99Ms }) : session.down({ p99DelayMs: p99Ms });
  }

  notShuttingDown(): HealthIndicatorResult {
    const session = this.health.check('lifecycle');
    return this.lifecycle.shuttingDown ? session.down({ message: 'shutting down' }) : session.up();
  }

  async storeReachable(): Promise<HealthIndicatorResult> {
    const session = this.health.check('store');
    try {
      await withTimeout(this.relayStore.list(), STORE_TIMEOUT_MS);
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }

  reconciled(): HealthIndicatorResult {
    const session = this.health.check('reconciler');
    const revision = this.reconciler.appliedRevision;
    return this.reconciler.isReady
      ? session.up({ revision })
      : session.down({ message: 'first reconcile not applied yet' });
  }

  /**
   * Down while the process has no file descriptor left (a write to the file store, a relay's
   * socket, an etcd connection all need one), or relays still fail because it had none.
   */
  sockets(): HealthIndicatorResult {
    const session = this.health.check('sockets');
    const full = descriptorTableFull();
    if (full !== undefined) {
      return session.down({
        message: `cannot open sockets: no file descriptor left (${full}); raise the open-files limit (LimitNOFILE)`,
        errno: full,
      });
    }
    const shortage = this.reconciler.descriptorShortage();
    if (shortage === undefined) return session.up();
    return session.down({
      message:
        `cannot open sockets: ${shortage.relays} ${shortage.relays === 1 ? 'relay' : 'relays'} failed with ` +
        `${shortage.errno} (no file descriptor left); ` +
        'raise the open-files limit (LimitNOFILE) or run fewer relays',
      failedRelays: shortage.relays,
      errno: shortage.errno,
    });
  }

  engineOpen(): HealthIndicatorResult {
    const session = this.health.check('engine');
    return this.engine.closed ? session.down({ message: 'engine closed' }) : session.up();
  }

  /**
   * Down while this node's relay inputs are silent where a peer's are alive: it cannot deliver
   * what that peer can (its upstream or ingress lost the streams). Up alone, and when the inputs
   * are silent everywhere (the sources stopped: no node is better).
   */
  inputs(): HealthIndicatorResult {
    const session = this.health.check('inputs');
    const health = this.cluster.inputHealth();
    if (health === undefined) return session.up();
    const { inputs, betterPeer } = health;
    const details = { live: inputs.live, total: inputs.total };
    if (betterPeer === undefined) return session.up(details);
    return session.down({
      ...details,
      message:
        `inputs silent on this node: ${inputs.live} of ${inputs.total} relay inputs alive, ` +
        `${betterPeer.liveInputs} on ${betterPeer.nodeId}`,
    });
  }

  role(required?: 'active'): HealthIndicatorResult {
    const session = this.health.check('role');
    const role = this.cluster.role;
    return required === undefined || role === required
      ? session.up({ role })
      : session.down({ role, message: `this node is ${role}` });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
