// @mcr/engine: the typed TypeScript API of MCR's native packet engine.
export { Engine } from './engine';
export type { EngineEvents } from './engine';
export { EngineError } from './errors';
export type { EngineErrorCode } from './errors';
export { tryLockExclusive } from './file-lock';
export { toolPath } from './loader';
export type * from './types';
export type * from './querier-types';
