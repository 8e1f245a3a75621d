// `mcrctl get <id|name>`: one relay with its outputs.
import type { Command } from '../command';
import { renderRelayDetail } from '../relay-view';
import { resolveRelay } from '../resolve-relay';

export const getCommand: Command = {
  name: 'get',
  synopsis: 'get <id|name>',
  summary: 'Show one relay',
  optionHelp: [],
  examples: ['mcrctl get market-feed-a', 'mcrctl get 3f2c9d1e-... --json'],
  options: {},
  positionals: { min: 1, max: 1, names: '<id|name>' },
  async run(ctx, { positionals }) {
    const relay = await resolveRelay(ctx.client, positionals[0]);
    ctx.out.write(ctx.json ? `${JSON.stringify(relay, null, 2)}\n` : renderRelayDetail(relay));
  },
};
