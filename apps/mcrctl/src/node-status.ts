// What the node at --url does with its relays (state, and the reason when it does not forward),
// read from its stats: `list` and `get` show it beside the stored relay. A service without the
// stats routes still gets its relays shown, with the stored enabled/disabled instead.
import { ApiError } from './api-client';
import type { CommandContext } from './command';
import { parseStats, statusesById, type NodeStatus } from './stats-view';

async function statsOrUndefined(ctx: CommandContext, route: string): Promise<unknown> {
  try {
    return await ctx.client.getJson<unknown>(route);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Every relay's status by id; undefined when the service has no stats route. */
export async function nodeStatuses(ctx: CommandContext): Promise<Map<string, NodeStatus> | undefined> {
  const body = await statsOrUndefined(ctx, '/api/v1/stats');
  return body === undefined ? undefined : statusesById(parseStats(body));
}

/** One relay's status; undefined when the service has no stats route (or just lost the relay). */
export async function nodeStatus(ctx: CommandContext, id: string): Promise<NodeStatus | undefined> {
  const body = await statsOrUndefined(ctx, `/api/v1/relays/${encodeURIComponent(id)}/stats`);
  return body === undefined ? undefined : statusesById(parseStats(body)).get(id);
}
