// Builds stats responses from one engine snapshot, the reconciler's per-relay state and the
// rate tracker. Relays that are stored but not running show zero counters.
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { CounterDefinition } from '@mcr/contract';
import type { RelayCounters } from '@mcr/engine';
import type { Relay } from '@mcr/model';
import { ClusterService } from '../cluster/cluster.service';
import type { McrdConfig } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { Reconciler } from '../reconciler/reconciler.service';
import { RelaysService } from '../relays/relays.service';
import { MCRD_CONFIG, RELAY_ENGINE } from '../tokens';
import { RateTracker } from './rate-tracker';
import { DROPS_COUNTED, DROPS_SHOWN, LEG_SHOWN, OUTPUT_DROPS, OUTPUT_SHOWN, RELAY_SHOWN } from './counter-views';
import type { RelayRates } from './rate-tracker';
import type { DropsDto, LegStatsDto, NodeStatsDto, OutputStatsDto, RelayStatsDto, StatsTotalsDto } from './stats.dto';

@Injectable()
export class StatsService implements OnModuleInit, OnModuleDestroy {
  private readonly rates: RateTracker;

  constructor(
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    @Inject(MCRD_CONFIG) private readonly config: McrdConfig,
    private readonly relays: RelaysService,
    private readonly reconciler: Reconciler,
    private readonly cluster: ClusterService,
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
    return { nodeId: this.config.nodeId, role: this.cluster.role, totals: sum(stats), relays: stats };
  }

  private ownerOf(relayId: string): string | null {
    const owners = this.cluster.owners;
    if (owners !== undefined) return owners.get(relayId) ?? null;
    return this.cluster.leader;
  }

  private describe(relay: Relay, counters: RelayCounters | undefined): RelayStatsDto {
    const status = this.reconciler.status(relay.id, counters) ?? { state: 'pending' };
    const rates = counters === undefined ? undefined : this.rates.rates(counters);
    const outputs = relay.outputs.map((output, index): OutputStatsDto => {
      const c = counters?.outputs[index];
      return {
        index,
        interface: output.interface,
        group: output.group,
        port: output.port,
        ...countsOf(OUTPUT_SHOWN, c),
        ...byErrnoOf(OUTPUT_SHOWN, c),
        lastPacketAt: iso(c?.lastPacketAt ?? null),
        packetsPerSecond: rates?.outputs[index]?.packetsPerSecond ?? 0,
        bitsPerSecond: rates?.outputs[index]?.bitsPerSecond ?? 0,
      } as OutputStatsDto;
    });
    return {
      ...countsOf(RELAY_SHOWN, counters),
      id: relay.id,
      name: relay.name,
      state: status.state,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
      drops: dropsOf(counters, outputs),
      lastPacketAt: iso(counters?.lastPacketAt ?? null),
      rcvbufBytes: counters?.rcvbufBytes ?? 0,
      owner: this.ownerOf(relay.id),
      interfacesDown: [...(counters?.interfacesDown ?? [])],
      datapath: counters?.datapath ?? 'socket',
      ...(counters?.datapathReason === undefined ? {} : { datapathReason: counters.datapathReason }),
      rateWindowSeconds: rates?.windowSeconds ?? 0,
      packetsInPerSecond: rates?.packetsInPerSecond ?? 0,
      bitsInPerSecond: rates?.bitsInPerSecond ?? 0,
      outputs,
      legs: legsOf(relay, counters, rates),
      activeLeg: counters?.activeLeg == null ? null : LEGS[counters.activeLeg],
    };
  }
}

const LEGS = ['a', 'b'] as const;

/** The legs of a redundant relay as stored, with their counters (zero while not running). */
function legsOf(relay: Relay, counters: RelayCounters | undefined, rates: RelayRates | undefined): LegStatsDto[] {
  if (relay.redundancy === undefined) return [];
  return [relay.input, relay.redundancy.input].map((input, index): LegStatsDto => {
    const c = counters?.legs[index];
    return {
      leg: LEGS[index],
      interface: input.interface,
      group: input.group,
      port: input.port,
      ...countsOf(LEG_SHOWN, c),
      silentForMs: c?.silentForMs ?? null,
      packetsPerSecond: rates?.legs[index]?.packetsPerSecond ?? 0,
      bitsPerSecond: rates?.legs[index]?.bitsPerSecond ?? 0,
    };
  });
}

/** The named counters as numbers (0 when the relay is not running). */
function countsOf<Name extends string>(
  counters: readonly CounterDefinition<Name>[],
  source: Partial<Record<Name, bigint>> | undefined,
): Record<Name, number> {
  return Object.fromEntries(counters.map(({ name }) => [name, Number(source?.[name] ?? 0n)])) as Record<Name, number>;
}

/** `<name>ByErrno` of the errno-table counters, counts as numbers. */
function byErrnoOf(
  counters: readonly CounterDefinition[],
  source: object | undefined,
): Record<string, Record<string, number>> {
  const tables = counters
    .filter((c) => c.native === 'errnoTable')
    .map(({ name }) => {
      const table = (source as Record<string, Record<string, bigint>> | undefined)?.[`${name}ByErrno`] ?? {};
      return [
        `${name}ByErrno`,
        Object.fromEntries(Object.entries(table).map(([errno, count]) => [errno, Number(count)])),
      ];
    });
  return Object.fromEntries(tables) as Record<string, Record<string, number>>;
}

/** The relay's drop counters, with the output drops summed over its outputs. */
function dropsOf(counters: RelayCounters | undefined, outputs: OutputStatsDto[]): DropsDto {
  const drops = countsOf(
    DROPS_SHOWN.filter((c) => c.scope === 'relay'),
    counters as Partial<Record<string, bigint>> | undefined,
  );
  for (const { name } of OUTPUT_DROPS) drops[name] = outputs.reduce((total, o) => total + o[name], 0);
  return drops;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function sum(stats: RelayStatsDto[]): StatsTotalsDto {
  const totals: StatsTotalsDto = {
    relays: stats.length,
    packetsIn: 0,
    bytesIn: 0,
    packetsOut: 0,
    bytesOut: 0,
    drops: 0,
    packetsInPerSecond: 0,
    bitsInPerSecond: 0,
    packetsOutPerSecond: 0,
    bitsOutPerSecond: 0,
  };
  for (const s of stats) {
    totals.packetsIn += s.packetsIn;
    totals.bytesIn += s.bytesIn;
    totals.packetsInPerSecond += s.packetsInPerSecond;
    totals.bitsInPerSecond += s.bitsInPerSecond;
    for (const { name } of DROPS_COUNTED) totals.drops += s.drops[name];
    for (const o of s.outputs) {
      totals.packetsOut += o.packets;
      totals.bytesOut += o.bytes;
      totals.packetsOutPerSecond += o.packetsPerSecond;
      totals.bitsOutPerSecond += o.bitsPerSecond;
    }
  }
  return totals;
}
