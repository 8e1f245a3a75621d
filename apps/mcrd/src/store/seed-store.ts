// Seeds a never-written store with the `relays:` section of MCR_CONFIG. A store that has ever
// been written (revision > 0, even if now empty) is the operator's and is never touched.
import type { RelaySpec } from '@mcr/model';
import type { RelayStore } from '@mcr/store';

export async function seedStore(store: RelayStore, relays: RelaySpec[]): Promise<number> {
  if (relays.length === 0) return 0;
  const current = await store.list();
  if (current.revision > 0 || current.relays.length > 0) return 0;
  const created = await store.apply({ create: relays, replace: [], delete: [] });
  return created.length;
}
