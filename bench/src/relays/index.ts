// The relays the benchmark compares, in the order the report lists them.
import { mcrCoreRelay } from './core';
import { kernelRelay } from './kernel';
import { mcrdRelay } from './mcrd';
import { mcrEngineEbpfRelay, mcrEngineRelay, nodeDgramRelay } from './program';
import type { RelayUnderTest } from './relay';
import { socatRelay } from './socat';

export const ALL_RELAYS: RelayUnderTest[] = [
  kernelRelay,
  socatRelay,
  nodeDgramRelay,
  mcrCoreRelay,
  mcrEngineRelay,
  mcrEngineEbpfRelay,
  mcrdRelay,
];
