// Builds stats responses from one engine snapshot, the reconciler's per-relay state and the
// rate tracker. Relays that are stored but not running show zero counters.
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RelayCounters } from '@mcr/engine';
import type { Relay } from '@mcr/model';
import type { McrdConfig } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { Reconciler } from '../reconciler/reconciler.service';
import { RelaysService } from '../relays/relays.service';
import { MCRD_CONFIG, RELAY_ENGINE } from '../tokens';
import { RateTracker } from './rate-tracker';
import type { NodeStatsDto, RelayStatsDto, StatsTotalsDto } from './stats.dto';

@Injectable()
export class StatsService implements OnModuleInit, OnModuleDestroy {
  private readonly rates: RateTracker;

  constructor(
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    @Inject(MCRD_CONFIG) private readonly config: McrdConfig,
    private readonly relays: RelaysService,
    private readonly reconciler: Reconciler,
  ) {
    this.rates = new RateTracker(() => (this.engine.closed ? [] : this.engine.stats()));
  }

  onModuleInit(): void {
    this.rates.start();
  }

  onModuleDestroy(): void {
    this.rates.stop();
  }

  async relayStats(id: string): Promise<RelayStatsDto> {
    const relay = await this.relays.get(id);
    return this.describe(relay, this.engine.closed ? undefined : this.engine.relayStats(id));
  }

  async nodeStats(): Promise<NodeStatsDto> {
    const relays = await this.relays.list();
    const counters = new Map((this.engine.closed ? [] : this.engine.stats()).map((c) => [c.id, c]));
    const stats = relays.map((relay) => this.describe(relay, counters.get(relay.id)));
    return { nodeId: this.config.nodeId, role: this.engine.role, totals: sum(stats), relays: stats };
  }

  private describe(relay: Relay, counters: RelayCounters | undefined): RelayStatsDto {
    const status = this.reconciler.status(relay.id, counters) ?? { state: 'pending' };
    const rates = counters === undefined ? undefined : this.rates.rates(counters);
    const outputs = relay.outputs.map((output, index) => {
      const c = counters?.outputs[index];
      return {
        index,
        interface: output.interface,
        group: output.group,
        port: output.port,
        packets: Number(c?.packets ?? 0n),
        bytes: Number(c?.bytes ?? 0n),
        sendErrors: Number(c?.sendErrors ?? 0n),
        sendErrorsByErrno: Object.fromEntries(Object.entries(c?.sendErrorsByErrno ?? {}).map(([k, v]) => [k, Number(v)])),
        gsoDatagrams: Number(c?.gsoDatagrams ?? 0n),
        gsoFallbacks: Number(c?.gsoFallbacks ?? 0n),
        lastPacketAt: iso(c?.lastPacketAt ?? null),
        packetsPerSecond: rates?.outputs[index]?.packetsPerSecond ?? 0,
        bitsPerSecond: rates?.outputs[index]?.bitsPerSecond ?? 0,
      };
    });
    return {
      id: relay.id,
      name: relay.name,
      state: status.state,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
      packetsIn: Number(counters?.packetsIn ?? 0n),
      bytesIn: Number(counters?.bytesIn ?? 0n),
      drops: {
        rxqOverflow: Number(counters?.rxqOverflow ?? 0n),
        truncated: Number(counters?.truncated ?? 0n),
        ttlExpired: Number(counters?.ttlExpired ?? 0n),
        sendErrors: outputs.reduce((total, o) => total + o.sendErrors, 0),
        notForwardedStandby: Number(counters?.notForwardedStandby ?? 0n),
        heldByFence: Number(counters?.heldByFence ?? 0n),
      },
      lastPacketAt: iso(counters?.lastPacketAt ?? null),
      rcvbufBytes: counters?.rcvbufBytes ?? 0,
      interfacesDown: [...(counters?.interfacesDown ?? [])],
      rateWindowSeconds: rates?.windowSeconds ?? 0,
      packetsInPerSecond: rates?.packetsInPerSecond ?? 0,
      bitsInPerSecond: rates?.bitsInPerSecond ?? 0,
      outputs,
    };
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function sum(stats: RelayStatsDto[]): StatsTotalsDto {
  const totals: StatsTotalsDto = {
    relays: stats.length, packetsIn: 0, bytesIn: 0, packetsOut: 0, bytesOut: 0, drops: 0,
    packetsInPerSecond: 0, bitsInPerSecond: 0, packetsOutPerSecond: 0, bitsOutPerSecond: 0,
  };
  for (const s of stats) {
    totals.packetsIn += s.packetsIn;
    totals.bytesIn += s.bytesIn;
    totals.packetsInPerSecond += s.packetsInPerSecond;
    totals.bitsInPerSecond += s.bitsInPerSecond;
    totals.drops += s.drops.rxqOverflow + s.drops.truncated + s.drops.ttlExpired + s.drops.sendErrors + s.drops.heldByFence;
    for (const o of s.outputs) {
      totals.packetsOut += o.packets;
      totals.bytesOut += o.bytes;
      totals.packetsOutPerSecond += o.packetsPerSecond;
      totals.bitsOutPerSecond += o.bitsPerSecond;
    }
  }
  return totals;
}
