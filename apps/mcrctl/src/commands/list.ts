// `mcrctl list`: every relay, one per row, with what this node does with it (forwarding, standby,
// waiting for an interface, failed, ...); --json prints the API's array unchanged.
import type { Relay } from '@mcr/model';
import { ApiError } from '../api-client';
import type { Command, CommandContext } from '../command';
import { renderRelayList } from '../relay-view';
import { parseStats, statesById } from '../stats-view';

/** The node's state per relay; a service without the stats route still gets its list shown. */
async function nodeStates(ctx: CommandContext): Promise<Map<string, string> | undefined> {
  try {
    return statesById(parseStats(await ctx.client.getJson<unknown>('/api/v1/stats')));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

export const listCommand: Command = {
  name: 'list',
  synopsis: 'list',
  summary: 'List all relays and what this node does with each',
  optionHelp: [],
  examples: ['mcrctl list', 'mcrctl list --json | jq -r ".[].name"'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx) {
    if (ctx.json) {
      ctx.out.write(`${JSON.stringify(await ctx.client.getJson<Relay[]>('/api/v1/relays'), null, 2)}\n`);
      return;
    }
    const [relays, states] = await Promise.all([ctx.client.getJson<Relay[]>('/api/v1/relays'), nodeStates(ctx)]);
    ctx.out.write(renderRelayList(relays, states));
  },
};
