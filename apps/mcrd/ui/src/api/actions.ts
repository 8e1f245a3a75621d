// What an operator can change from the dashboard, each one REST call (or two) of the contract.
// Enable/disable has no PATCH route yet: it reads the relay, then PUTs it back with `enabled`
// flipped and If-Match of the revision read, so a concurrent edit fails (412) instead of being lost.
import { apiRequest } from './client';
import type { Relay } from './types';

export async function setRelayEnabled(id: string, enabled: boolean): Promise<Relay> {
  const path = `/api/v1/relays/${encodeURIComponent(id)}`;
  const current = await apiRequest<Relay>('GET', path);
  const ifMatch = current.etag ?? `"${current.body.revision}"`;
  const replaced = await apiRequest<Relay>('PUT', path, { ...current.body, enabled }, { 'If-Match': ifMatch });
  return replaced.body;
}

export async function switchover(to: string): Promise<string> {
  return (await apiRequest<{ message: string }>('POST', '/api/v1/cluster/switchover', { to })).body.message;
}

export async function setMaintenance(enabled: boolean): Promise<string> {
  return (await apiRequest<{ message: string }>('POST', '/api/v1/cluster/maintenance', { enabled })).body.message;
}
