// `mcrctl get <id|name>`: one relay with its outputs, and what this node does with it (state, and
// the reason when it does not forward); --json prints the API's relay unchanged.
import type { Command } from '../command';
import { nodeStatus } from '../node-status';
import { renderRelayDetail } from '../relay-view';
import { resolveRelay } from '../resolve-relay';

export const getCommand: Command = {
  name: 'get',
  synopsis: 'get <id|name>',
  summary: 'Show one relay and what this node does with it',
  optionHelp: [],
  examples: ['mcrctl get market-feed-a', 'mcrctl get 3f2c9d1e-... --json'],
  options: {},
  positionals: { min: 1, max: 1, names: '<id|name>' },
  async run(ctx, { positionals }) {
    const relay = await resolveRelay(ctx.client, positionals[0]);
    if (ctx.json) {
      ctx.out.write(`${JSON.stringify(relay, null, 2)}\n`);
      return;
    }
    ctx.out.write(renderRelayDetail(relay, await nodeStatus(ctx, relay.id)));
  },
};
