// This node's place in the cluster. Without etcd (the embedded file store) the node is alone
// and always active; the HA work replaces this with leader election.
import { Inject, Injectable } from '@nestjs/common';
import type { McrdConfig } from '../config/config.types';
import type { RelayEngine } from '../engine/relay-engine';
import { MCRD_CONFIG, RELAY_ENGINE } from '../tokens';
import type { ClusterDto } from './cluster.dto';

@Injectable()
export class ClusterService {
  constructor(
    @Inject(MCRD_CONFIG) private readonly config: McrdConfig,
    @Inject(RELAY_ENGINE) private readonly engine: RelayEngine,
  ) {}

  get role(): 'active' | 'standby' {
    return this.engine.role;
  }

  describe(): ClusterDto {
    const role = this.role;
    return {
      nodeId: this.config.nodeId,
      role,
      leader: role === 'active' ? this.config.nodeId : null,
      members: [{ nodeId: this.config.nodeId, role }],
    };
  }
}
