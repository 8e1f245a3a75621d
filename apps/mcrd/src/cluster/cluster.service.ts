// This node's place in the cluster. With the embedded file store the node is alone and always
// active. With etcd it runs an HaNode: leadership on its own lease, fencing, standby arming, and
// the operator's switchover and maintenance controls.
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { EtcdKeys, type Etcd3 } from '@mcr/store';
import type { McrdConfig } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { ETCD_CLIENT, MCRD_CONFIG, RELAY_ENGINE } from '../tokens';
import type { ClusterDto, ClusterMemberDto } from './cluster.dto';
import { EtcdLeadershipStore } from './etcd-leadership-store';
import { HaNode, type FailoverReason } from './ha-node';
import type { LivenessSummary } from './input-liveness';
import { LeaseKeeper } from './lease-keeper';

@Injectable()
export class ClusterService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Cluster');
  private node?: HaNode;

  constructor(
    @Inject(MCRD_CONFIG) private readonly config: McrdConfig,
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    /** Shared with the relay store; closed by StoreModule after this node has stopped. */
    @Inject(ETCD_CLIENT) private readonly client: Etcd3 | null,
  ) {}

  /** Runs before the reconciler adds any relay, so a cluster node arms them in standby. */
  onModuleInit(): void {
    const { client, config } = this;
    if (client === null) return;
    this.node = new HaNode({
      store: new EtcdLeadershipStore(client, new EtcdKeys(config.etcdPrefix, config.cluster), config.nodeId),
      createLease: (events) => new LeaseKeeper(client, config.leaseTtlS, events),
      nodeId: config.nodeId,
      leaseTtlS: config.leaseTtlS,
      onStoreLoss: config.onStoreLoss,
      engine: this.engine,
      inputs: () => this.engine.inputCounts(),
      logger: this.logger,
    });
    this.node.start();
    this.logger.log(
      `node ${config.nodeId} joined cluster ${config.cluster} as standby (lease TTL ${config.leaseTtlS} s, on store loss: ${config.onStoreLoss})`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.node?.stop();
  }

  get role(): 'active' | 'standby' {
    return this.engine.role;
  }

  get clustered(): boolean {
    return this.node !== undefined;
  }

  /** For metrics: promotions to active by reason, acknowledged lease renewals, fenced now. */
  get counters(): { failovers: Partial<Record<FailoverReason, number>>; renewals: number; fenced: boolean } {
    return {
      failovers: this.node?.counters.failovers ?? {},
      renewals: this.node?.counters.renewals ?? 0,
      fenced: this.node?.fenced ?? false,
    };
  }

  describe(): ClusterDto {
    const role = this.role;
    const now = new Date().toISOString();
    if (this.node === undefined) {
      return {
        nodeId: this.config.nodeId,
        role,
        leader: role === 'active' ? this.config.nodeId : null,
        members: [{ nodeId: this.config.nodeId, role, maintenance: false, lastSeen: now, liveInputs: null }],
      };
    }
    const members: ClusterMemberDto[] = this.node.members
      .filter((member) => member.nodeId !== this.config.nodeId)
      .map((member) => ({ ...member, liveInputs: member.liveInputs ?? null }));
    const { live } = this.node.inputs;
    members.push({
      nodeId: this.config.nodeId,
      role,
      maintenance: this.node.maintenance,
      lastSeen: now,
      liveInputs: live,
    });
    members.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    return { nodeId: this.config.nodeId, role, leader: this.node.leader, members };
  }

  /**
   * For /healthz: this node's inputs, and the peer with the most live inputs when it has strictly
   * more than this node (this node cannot deliver what that peer can); undefined without a cluster.
   */
  inputHealth(): { inputs: LivenessSummary; betterPeer?: { nodeId: string; liveInputs: number } } | undefined {
    if (this.node === undefined) return undefined;
    const inputs = this.node.inputs;
    let betterPeer: { nodeId: string; liveInputs: number } | undefined;
    for (const { nodeId, liveInputs } of this.node.members) {
      if (nodeId === this.config.nodeId || liveInputs === undefined || liveInputs <= inputs.live) continue;
      if (betterPeer === undefined || liveInputs > betterPeer.liveInputs) betterPeer = { nodeId, liveInputs };
    }
    return { inputs, betterPeer };
  }

  /** POST /cluster/switchover: 404 unknown node, 409 when it cannot take over now. */
  async switchover(to: string): Promise<void> {
    const node = this.requireCluster('switchover');
    const target = this.describe().members.find((member) => member.nodeId === to);
    if (target === undefined)
      throw new NotFoundException(`to '${to}' is not a member of cluster ${this.config.cluster}`);
    if (target.maintenance)
      throw new ConflictException(`to '${to}' is in maintenance mode and does not take leadership`);
    if (node.leader === to) throw new ConflictException(`to '${to}' is already the active node`);
    await node.switchover(to);
    this.logger.log({ event: 'cluster.switchover', to }, `switchover to ${to} requested`);
  }

  /** POST /cluster/maintenance: this node stops (or resumes) campaigning; an active hands over first. */
  async maintenance(enabled: boolean): Promise<void> {
    const node = this.requireCluster('maintenance');
    if (enabled && this.role === 'active') {
      const standby = node.members.find((member) => member.nodeId !== this.config.nodeId && !member.maintenance);
      if (standby === undefined)
        throw new ConflictException('no standby node is available to take over; maintenance would stop forwarding');
    }
    await node.setMaintenance(enabled);
  }

  private requireCluster(what: string): HaNode {
    if (this.node === undefined) {
      throw new ConflictException(
        `${what} needs an HA cluster (MCR_STORE=etcd://...); this node runs alone with ${this.config.store}`,
      );
    }
    return this.node;
  }
}
