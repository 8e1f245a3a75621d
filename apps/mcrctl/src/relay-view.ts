// Human views of the relay resource: one table row per relay for `list`, a field list plus an
// outputs table for `get`/`add`. Endpoints are written in the same syntax `add` accepts.
import { relaySpec } from '@mcr/contract';
import type { Relay, RelayInput, RelayOutput } from '@mcr/model';
import { formatEndpoint } from './relay-flags';
import { reasonLine, type NodeStatus } from './stats-view';
import { renderFields, renderTable } from './table';

export function formatIngress(input: RelayInput): string {
  const endpoint = formatEndpoint(input.interface, input.group, input.port);
  const sources = input.sources ?? [];
  return sources.length > 0 ? `${endpoint} from ${sources.join(',')}` : endpoint;
}

/** The contract's output defaults, left out of the short form as `add` would leave them out. */
const DEFAULT_TTL = relaySpec.ttl.default;
const DEFAULT_DSCP = relaySpec.dscp.default;

/** "eth1:239.2.2.2:6000:ttl=16:dscp=46", exactly what `add --out` takes, defaults omitted. */
export function formatOutput(output: RelayOutput): string {
  const options: string[] = [];
  if (output.ttl !== undefined && output.ttl !== DEFAULT_TTL) options.push(`ttl=${output.ttl}`);
  if (output.dscp !== undefined && output.dscp !== DEFAULT_DSCP) options.push(`dscp=${output.dscp}`);
  if (output.source !== undefined) {
    options.push(`source=${output.source.includes(':') ? `[${output.source}]` : output.source}`);
  }
  if (output.onDemand === true) options.push('ondemand=on');
  return [formatEndpoint(output.interface, output.group, output.port), ...options].join(':');
}

function storedState(relay: Relay): string {
  return relay.enabled === false ? 'disabled' : 'enabled';
}

/**
 * `statuses`: what the node does with each relay (forwarding, standby, waiting, ...) and why it
 * does not forward, from its stats; without them the STATE column falls back to the stored
 * enabled/disabled. Reasons follow the table, one line per relay, as in `stats`.
 */
export function renderRelayList(relays: Relay[], statuses?: ReadonlyMap<string, NodeStatus>): string {
  if (relays.length === 0) return 'no relays\n';
  const sorted = [...relays].sort((a, b) => a.name.localeCompare(b.name));
  const table = renderTable(
    [
      { header: 'ID' },
      { header: 'NAME' },
      { header: 'STATE' },
      { header: 'INGRESS' },
      { header: 'OUTPUTS' },
      { header: 'REV', align: 'right' },
    ],
    sorted.map((relay) => [
      relay.id,
      relay.name,
      statuses?.get(relay.id)?.state ?? storedState(relay),
      formatIngress(relay.input),
      relay.outputs.map(formatOutput).join(', '),
      String(relay.revision),
    ]),
  );
  const reasons = sorted
    .map((relay) => ({ relay, status: statuses?.get(relay.id) }))
    .filter(({ status }) => status?.reason !== undefined)
    .map(({ relay, status }) => `${relay.name}: ${reasonLine(status as NodeStatus)}\n`)
    .join('');
  return reasons ? `${table}\n${reasons}` : table;
}

/** The B leg and its settings, for a redundant relay (stored relays have every setting filled in). */
function redundancyFields(relay: Relay): [string, string][] {
  const redundancy = relay.redundancy;
  if (redundancy === undefined) return [];
  const { input } = redundancy;
  const settings =
    redundancy.mode === 'merge'
      ? `merge, key ${redundancy.key ?? '-'}, window ${redundancy.windowMs ?? '-'} ms`
      : `failover, loss ${redundancy.lossMs ?? '-'} ms, revert ${redundancy.revertMs ? `${redundancy.revertMs} ms` : 'never'}`;
  return [
    ['ingress b', formatEndpoint(input.interface, input.group, input.port)],
    ['sources b', (input.sources ?? []).length > 0 ? (input.sources ?? []).join(', ') : 'any'],
    ['redundancy', settings],
  ];
}

/** `status`: what the node does with the relay and why; without it, the stored enabled/disabled. */
export function renderRelayDetail(relay: Relay, status?: NodeStatus): string {
  const sources = relay.input.sources ?? [];
  const fields = renderFields([
    ['id', relay.id],
    ['name', relay.name],
    ['state', status?.state ?? storedState(relay)],
    ...(status?.reason === undefined ? [] : [['reason', status.reason] as [string, string]]),
    ['revision', String(relay.revision)],
    ['ingress', formatEndpoint(relay.input.interface, relay.input.group, relay.input.port)],
    ['sources', sources.length > 0 ? sources.join(', ') : 'any'],
    ...redundancyFields(relay),
    ...(relay.preferredNode === undefined ? [] : [['preferred node', relay.preferredNode] as [string, string]]),
    ['outputs', String(relay.outputs.length)],
  ]);
  const outputs = renderTable(
    [
      { header: '#', align: 'right' },
      { header: 'INTERFACE' },
      { header: 'GROUP' },
      { header: 'PORT', align: 'right' },
      { header: 'TTL', align: 'right' },
      { header: 'DSCP', align: 'right' },
      { header: 'SOURCE' },
    ],
    relay.outputs.map((output, index) => [
      String(index),
      output.interface,
      output.group,
      String(output.port),
      String(output.ttl ?? DEFAULT_TTL),
      String(output.dscp ?? DEFAULT_DSCP),
      output.source ?? '-',
    ]),
  );
  return `${fields}\n${outputs}`;
}
