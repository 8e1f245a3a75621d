// What an operator can change from the dashboard, each one REST call of the contract.
import { apiRequest } from './client';
import type { Relay } from './types';

/** A merge patch of `enabled` alone: a concurrent edit of any other field is kept, not overwritten. */
export async function setRelayEnabled(id: string, enabled: boolean): Promise<Relay> {
  const path = `/api/v1/relays/${encodeURIComponent(id)}`;
  const patched = await apiRequest<Relay>(
    'PATCH',
    path,
    { enabled },
    { 'Content-Type': 'application/merge-patch+json' },
  );
  return patched.body;
}

export async function switchover(to: string): Promise<string> {
  return (await apiRequest<{ message: string }>('POST', '/api/v1/cluster/switchover', { to })).body.message;
}

export async function setMaintenance(enabled: boolean): Promise<string> {
  return (await apiRequest<{ message: string }>('POST', '/api/v1/cluster/maintenance', { enabled })).body.message;
}
