// Starts the engine's IGMP/MLD querier on the interfaces MCR_QUERIER_INTERFACES names and shapes
// its snapshot for the API and the metrics. The querier follows the engine's role by itself.
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { querier as querierContract } from '@mcr/contract';
import type { QuerierSnapshot, QuerierTimers } from '@mcr/engine';
import type { McrdConfig } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { MCRD_CONFIG, RELAY_ENGINE } from '../tokens';
import type { MembershipDto, QuerierDto } from './querier.dto';

/** The timers the querier would use, for the view of a node where it is off. */
function configuredTimers(intervalS: number): QuerierTimers {
  const queryIntervalMs = intervalS * 1000;
  const queryResponseIntervalMs = Math.min(querierContract.maxResponseMs, Math.floor(queryIntervalMs / 2));
  const { robustness } = querierContract;
  return {
    queryIntervalMs,
    queryResponseIntervalMs,
    robustness,
    groupMembershipIntervalMs: robustness * queryIntervalMs + queryResponseIntervalMs,
    otherQuerierPresentIntervalMs: robustness * queryIntervalMs + Math.floor(queryResponseIntervalMs / 2),
    lastMemberQueryTimeMs: robustness * querierContract.lastMemberQueryIntervalMs,
  };
}

@Injectable()
export class QuerierService implements OnModuleInit {
  private readonly logger = new Logger('Querier');

  constructor(
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    @Inject(MCRD_CONFIG) private readonly config: McrdConfig,
  ) {}

  onModuleInit(): void {
    const { interfaces, intervalS } = this.config.querier;
    if (interfaces.length === 0) return;
    try {
      this.engine.startQuerier({ interfaces, intervalS });
    } catch (error) {
      // Start-up stops here: an operator who asked for a querier must not silently get none.
      throw new Error(`MCR_QUERIER_INTERFACES (${interfaces.join(',')}): ${(error as Error).message}`);
    }
    this.logger.log(
      { event: 'querier.start', interfaces, intervalS },
      `IGMP/MLD querier on ${interfaces.join(', ')} every ${intervalS} s`,
    );
  }

  snapshot(): QuerierSnapshot | undefined {
    return this.engine.closed ? undefined : this.engine.querier();
  }

  describe(): QuerierDto {
    const snapshot = this.snapshot();
    const { interfaces, intervalS } = this.config.querier;
    return {
      enabled: interfaces.length > 0,
      active: snapshot?.active ?? false,
      configuredInterfaces: interfaces,
      timers: snapshot?.timers ?? configuredTimers(intervalS),
      interfaces: (snapshot?.interfaces ?? []).map(({ groups: _groups, ...querier }) => querier),
    };
  }

  membership(): MembershipDto {
    const snapshot = this.snapshot();
    return {
      enabled: this.config.querier.interfaces.length > 0,
      interfaces: (snapshot?.interfaces ?? []).map(({ interface: name, protocol, groups }) => ({
        interface: name,
        protocol,
        groups,
      })),
    };
  }
}
