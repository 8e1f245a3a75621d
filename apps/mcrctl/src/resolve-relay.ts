// Lets operators name a relay by id or by name (ids are generated and long; names are what they
// chose): the id is tried first, then an exact name match (GET /api/v1/relays?name=).
import type { Relay } from '@mcr/model';
import { ApiClient, ApiError } from './api-client';

export function relayPath(id: string): string {
  return `/api/v1/relays/${encodeURIComponent(id)}`;
}

/** The relay whose id or name is `ref`; 404 ApiError naming `ref` when neither matches. */
export async function resolveRelay(client: ApiClient, ref: string): Promise<Relay> {
  try {
    return await client.getJson<Relay>(relayPath(ref));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  }
  // Filtered here too: a service older than the ?name= filter answers every relay.
  const relays = await client.getJson<Relay[]>(`/api/v1/relays?name=${encodeURIComponent(ref)}`);
  const byName = relays.find((relay) => relay.name === ref);
  if (byName === undefined) {
    throw new ApiError(404, 'Not Found', [`no relay has the id or name '${ref}'`]);
  }
  return byName;
}
