// Exposes the Reconciler, the single writer of the engine's relay table.
import { Global, Module } from '@nestjs/common';
import { Reconciler } from './reconciler.service';

@Global()
@Module({ providers: [Reconciler], exports: [Reconciler] })
export class ReconcilerModule {}
