// Converts validated request DTOs to the model's RelaySpec (plain data, no class instances).
import type { RelaySpec } from '@mcr/model';
import type { CreateRelayDto } from './relay.dto';

export function toRelaySpec(dto: CreateRelayDto): RelaySpec {
  const spec: RelaySpec = {
    name: dto.name,
    input: plain(dto.input),
    outputs: dto.outputs.map((output) => plain(output)),
  };
  if (dto.enabled !== undefined) spec.enabled = dto.enabled;
  if (dto.redundancy !== undefined) spec.redundancy = plain(dto.redundancy);
  if (dto.preferredNode !== undefined) spec.preferredNode = dto.preferredNode;
  if (dto.analyze !== undefined) spec.analyze = dto.analyze;
  return spec;
}

function plain<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
