// Diagnoses stored relays on this node: one host snapshot and one engine snapshot per request,
// whatever the number of relays, then the pure checks of diagnose.ts for each relay.
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { RelayCounters } from '@mcr/engine';
import type { Relay } from '@mcr/model';
import type { McrdConfig } from '../config/config.types';
import { InterfaceMapper } from '../engine/interface-mapper';
import type { RelayEngine } from '../engine/relay-engine';
import { Reconciler } from '../reconciler/reconciler.service';
import { RelaysService } from '../relays/relays.service';
import { HOST_FACTS, MCRD_CONFIG, RELAY_ENGINE, WALL_CLOCK } from '../tokens';
import { diagnoseRelay, hostQueryFor, type Finding } from './diagnose';
import type { HostFacts } from './host-facts';
import type { NodeDiagnosticsDto, RelayDiagnosticsDto } from './diagnostics.dto';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

@Injectable()
export class DiagnosticsService {
  constructor(
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    @Inject(MCRD_CONFIG) private readonly config: McrdConfig,
    @Inject(HOST_FACTS) private readonly host: HostFacts,
    @Inject(WALL_CLOCK) private readonly now: () => number,
    private readonly relays: RelaysService,
    private readonly reconciler: Reconciler,
    private readonly mapper: InterfaceMapper,
  ) {}

  async relay(id: string): Promise<RelayDiagnosticsDto> {
    const [result] = await this.diagnose([await this.relays.get(id)]);
    return result;
  }

  async node(): Promise<NodeDiagnosticsDto> {
    const checkedAt = new Date(this.now()).toISOString();
    return { nodeId: this.config.nodeId, checkedAt, relays: await this.diagnose(await this.relays.list()) };
  }

  /** The host cannot be read (no `ip` command, as in a bare container): 503 naming what is missing. */
  private async readHost(specs: Parameters<typeof hostQueryFor>[0]) {
    try {
      return await this.host.snapshot(hostQueryFor(specs));
    } catch (error) {
      throw new ServiceUnavailableException(
        `cannot read the host's routes and neighbours (${(error as Error).message}): the diagnostics need the ip command of iproute2 in mcrd's PATH`,
      );
    }
  }

  private async diagnose(relays: readonly Relay[]): Promise<RelayDiagnosticsDto[]> {
    const specs = relays.map((relay) => this.mapper.toHost(relay));
    const snapshot = await this.readHost(specs);
    const counters = new Map<string, RelayCounters>(
      (this.engine.closed ? [] : this.engine.stats()).map((c) => [c.id, c]),
    );
    const nowMs = this.now();
    return relays.map((relay, i) => {
      const running = counters.get(relay.id);
      const status = this.reconciler.status(relay.id, running ?? { interfacesDown: [] }) ?? { state: 'pending' };
      const findings = diagnoseRelay(
        { spec: specs[i], status, lastPacketAt: running?.lastPacketAt ?? null, datapath: running?.datapath, nowMs },
        snapshot,
      ).sort(bySeverity);
      return {
        id: relay.id,
        name: relay.name,
        state: status.state,
        ...(status.reason === undefined ? {} : { reason: status.reason }),
        findings,
      };
    });
  }
}

function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}
