// What MCR_PLACEMENT=relay places: every relay the engine holds (a relay reaches placement only
// once it is armed unowned there), each with the preferredNode of its stored form. The engine
// never sees preferredNode, so it is read from the stored relays by id.
import type { Relay } from '@mcr/model';
import type { PlacementRelay } from './relay-placement';

export function placementRelays(
  engineIds: readonly string[],
  stored: ReadonlyMap<string, Pick<Relay, 'preferredNode'>>,
): PlacementRelay[] {
  return engineIds.map((id) => {
    const preferredNode = stored.get(id)?.preferredNode;
    return preferredNode === undefined ? { id } : { id, preferredNode };
  });
}
