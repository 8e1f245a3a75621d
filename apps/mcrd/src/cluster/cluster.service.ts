// This node's place in the cluster. With the embedded file store the node is alone and always
// active. With etcd and MCR_PLACEMENT=node it runs an HaNode: leadership on its own lease, fencing,
// standby arming, and the operator's switchover and maintenance controls. With MCR_PLACEMENT=relay
// it runs a RelayOwnerNode instead: each relay forwarded by the one node that owns it.
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Relay } from '@mcr/model';
import { EtcdKeys, type Etcd3 } from '@mcr/store';
import type { McrdConfig } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { Reconciler } from '../reconciler/reconciler.service';
import { ETCD_CLIENT, MCRD_CONFIG, RELAY_ENGINE } from '../tokens';
import type { ClusterDto, ClusterMemberDto } from './cluster.dto';
import { EtcdLeadershipStore } from './etcd-leadership-store';
import { EtcdOwnershipStore } from './etcd-ownership-store';
import { HaNode, type FailoverReason } from './ha-node';
import type { LivenessSummary } from './input-liveness';
import type { LeadershipStore } from './leadership-store';
import { LeaseKeeper } from './lease-keeper';
import { placementRelays } from './placement-relays';
import { RelayOwnerNode } from './relay-owner-node';

@Injectable()
export class ClusterService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Cluster');
  private node?: HaNode;
  private owner?: RelayOwnerNode;

  constructor(
    @Inject(MCRD_CONFIG) private readonly config: McrdConfig,
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
    /** Shared with the relay store; closed by StoreModule after this node has stopped. */
    @Inject(ETCD_CLIENT) private readonly client: Etcd3 | null,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Runs before the reconciler adds any relay, so a cluster node arms them in standby (or unowned). */
  async onModuleInit(): Promise<void> {
    const { client, config } = this;
    if (client === null) return;
    const keys = new EtcdKeys(config.etcdPrefix, config.cluster);
    const store = new EtcdLeadershipStore(client, keys, config.nodeId);
    await this.refuseOtherPlacement(store);
    if (config.placement === 'relay') {
      this.owner = new RelayOwnerNode({
        leadership: store,
        ownership: new EtcdOwnershipStore(client, keys, config.nodeId),
        createLease: (events) => new LeaseKeeper(client, config.leaseTtlS, events),
        nodeId: config.nodeId,
        leaseTtlS: config.leaseTtlS,
        engine: this.engine,
        relays: () => placementRelays(this.engine.inputCounts().ids, this.storedRelays()),
        logger: this.logger,
      });
      this.owner.start();
      this.logger.log(
        `node ${config.nodeId} joined cluster ${config.cluster} with relay placement, owning nothing yet (lease TTL ${config.leaseTtlS} s)`,
      );
      return;
    }
    this.node = new HaNode({
      store,
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

  /**
   * The reconciler's view of the store, looked up when placement runs: injecting the reconciler
   * would make it start first, and it would add relays before this node arms them unowned.
   */
  private storedRelays(): ReadonlyMap<string, Relay> {
    return this.moduleRef.get(Reconciler, { strict: false }).storedRelays();
  }

  /**
   * Both placements cannot share a cluster: a node-placement active would forward every relay next
   * to the relay owners. Live member records say which placement the running nodes use.
   */
  private async refuseOtherPlacement(store: LeadershipStore): Promise<void> {
    const { cluster, nodeId, placement } = this.config;
    const other = (await store.members()).find(
      (member) => member.nodeId !== nodeId && (member.placement ?? 'node') !== placement,
    );
    if (other === undefined) return;
    throw new Error(
      `MCR_PLACEMENT=${placement}, but cluster ${cluster} runs with MCR_PLACEMENT=${other.placement ?? 'node'} ` +
        `(node ${other.nodeId}); a running cluster cannot switch placement: stop every node, then start them ` +
        `all with the same MCR_PLACEMENT`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.node?.stop();
    await this.owner?.stop();
  }

  /** Relay placement: active while this node forwards at least one relay (and is not fenced). */
  get role(): 'active' | 'standby' {
    if (this.owner !== undefined) return this.owner.owned.size > 0 && !this.owner.fenced ? 'active' : 'standby';
    return this.engine.role;
  }

  get clustered(): boolean {
    return this.node !== undefined || this.owner !== undefined;
  }

  /** Node placement: the active node (this one when alone), null while there is none. */
  get leader(): string | null {
    if (this.node !== undefined) return this.node.leader;
    return this.owner === undefined && this.role === 'active' ? this.config.nodeId : null;
  }

  /** Relay placement: the node owning each relay (relay id → node id); undefined otherwise. */
  get owners(): ReadonlyMap<string, string> | undefined {
    return this.owner?.ownerOf;
  }

  /** For metrics: promotions to active by reason, acknowledged lease renewals, fenced now. */
  get counters(): {
    failovers: Partial<Record<FailoverReason, number>>;
    renewals: number;
    fenced: boolean;
    ownedRelays?: ReadonlySet<string>;
  } {
    if (this.owner !== undefined) {
      return { failovers: {}, renewals: this.owner.renewals, fenced: this.owner.fenced, ownedRelays: this.owner.owned };
    }
    return {
      failovers: this.node?.counters.failovers ?? {},
      renewals: this.node?.counters.renewals ?? 0,
      fenced: this.node?.fenced ?? false,
    };
  }

  describe(): ClusterDto {
    const role = this.role;
    const now = new Date().toISOString();
    const { nodeId, placement } = this.config;
    const ha = this.node ?? this.owner;
    if (ha === undefined) {
      return {
        nodeId,
        role,
        leader: role === 'active' ? nodeId : null,
        placement,
        members: [{ nodeId, role, maintenance: false, lastSeen: now, liveInputs: null, owns: null }],
        owners: null,
      };
    }
    const members: ClusterMemberDto[] = ha.members
      .filter((member) => member.nodeId !== nodeId)
      .map(({ nodeId: id, role: memberRole, maintenance, lastSeen, liveInputs, owns }) => ({
        nodeId: id,
        role: memberRole,
        maintenance,
        lastSeen,
        liveInputs: liveInputs ?? null,
        owns: owns ?? null,
      }));
    members.push({
      nodeId,
      role,
      maintenance: ha.maintenance,
      lastSeen: now,
      liveInputs: ha.inputs.live,
      owns: this.owner?.owned.size ?? null,
    });
    members.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    const owners = this.owner === undefined ? null : Object.fromEntries([...this.owner.ownerOf].sort());
    return { nodeId, role, leader: this.node?.leader ?? null, placement, members, owners };
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
    if (this.owner !== undefined) {
      throw new ConflictException(
        'switchover moves the leader, and with MCR_PLACEMENT=relay there is none: each relay has its own owner ' +
          '(POST /api/v1/cluster/maintenance on a node moves its relays to the others)',
      );
    }
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
    if (this.owner !== undefined) return this.relayMaintenance(this.owner, enabled);
    const node = this.requireCluster('maintenance');
    if (enabled && this.role === 'active') {
      const standby = node.members.find((member) => member.nodeId !== this.config.nodeId && !member.maintenance);
      if (standby === undefined)
        throw new ConflictException('no standby node is available to take over; maintenance would stop forwarding');
    }
    await node.setMaintenance(enabled);
  }

  /** Relay placement: a node in maintenance releases every relay; 409 when no other node could take them. */
  private async relayMaintenance(owner: RelayOwnerNode, enabled: boolean): Promise<void> {
    if (enabled && owner.owned.size > 0) {
      const other = owner.members.find((member) => member.nodeId !== this.config.nodeId && !member.maintenance);
      if (other === undefined)
        throw new ConflictException(
          "no other node is available to take this node's relays; maintenance would stop forwarding",
        );
    }
    await owner.setMaintenance(enabled);
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
