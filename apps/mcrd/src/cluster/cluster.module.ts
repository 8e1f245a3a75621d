// Cluster role (single node: always active; etcd: leadership, fencing, standby) and its routes.
import { Global, Module } from '@nestjs/common';
import { ClusterController } from './cluster.controller';
import { ClusterService } from './cluster.service';

@Global()
@Module({ controllers: [ClusterController], providers: [ClusterService], exports: [ClusterService] })
export class ClusterModule {}
