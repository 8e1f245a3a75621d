// `mcrctl list`: every relay, one per row, with what this node does with it (forwarding, standby,
// waiting for an interface, failed, ...) and why it does not forward; --json prints the API's
// array unchanged.
import type { Relay } from '@mcr/model';
import type { Command } from '../command';
import { nodeStatuses } from '../node-status';
import { renderRelayList } from '../relay-view';

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
    const [relays, statuses] = await Promise.all([ctx.client.getJson<Relay[]>('/api/v1/relays'), nodeStatuses(ctx)]);
    ctx.out.write(renderRelayList(relays, statuses));
  },
};
