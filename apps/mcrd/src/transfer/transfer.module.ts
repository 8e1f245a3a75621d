// Import/export of rules files.
import { Module } from '@nestjs/common';
import { RelaysModule } from '../relays/relays.module';
import { TransferController } from './transfer.controller';
import { TransferService } from './transfer.service';

@Module({ imports: [RelaysModule], controllers: [TransferController], providers: [TransferService] })
export class TransferModule {}
