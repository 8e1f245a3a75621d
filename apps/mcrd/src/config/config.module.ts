// Makes the parsed McrdConfig and the interface mapper available to every module.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { InterfaceMapper } from '../engine/interface-mapper';
import { MCRD_CONFIG } from '../tokens';
import type { McrdConfig } from './config.types';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: McrdConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: MCRD_CONFIG, useValue: config },
        { provide: InterfaceMapper, useValue: new InterfaceMapper(config.interfaceMap) },
      ],
      exports: [MCRD_CONFIG, InterfaceMapper],
    };
  }
}
