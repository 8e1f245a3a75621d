// The IGMP/MLD querier: starts it (MCR_QUERIER_*) and serves /api/v1/querier and /api/v1/membership.
import { Module } from '@nestjs/common';
import { QuerierController } from './querier.controller';
import { QuerierService } from './querier.service';

@Module({ controllers: [QuerierController], providers: [QuerierService], exports: [QuerierService] })
export class QuerierModule {}
