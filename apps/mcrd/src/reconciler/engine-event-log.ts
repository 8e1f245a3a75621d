// How engine events (interface down/up, persistent send errors) reach the log: level by event
// type, with relay id, relay name and interface as fields, so one log search finds every transition.
import type { EngineEvent } from '@mcr/engine';

export interface EngineEventLine {
  level: 'log' | 'warn';
  fields: Record<string, string>;
  message: string;
}

/** Events that report a recovery; everything else needs an operator's eye. */
const RECOVERY_EVENTS = new Set(['interface-up']);

export function engineEventLine(event: EngineEvent, relayName: string | undefined): EngineEventLine {
  const fields: Record<string, string> = { event: `engine.${event.type}` };
  if (event.relayId !== undefined) fields.relayId = event.relayId;
  if (relayName !== undefined) fields.relayName = relayName;
  if (event.interface !== undefined) fields.interface = event.interface;
  // The engine's message names the relay by id only; the operator knows it by name.
  const message = relayName === undefined ? event.message : `${event.message} [relay name ${relayName}]`;
  return { level: RECOVERY_EVENTS.has(event.type) ? 'log' : 'warn', fields, message };
}
