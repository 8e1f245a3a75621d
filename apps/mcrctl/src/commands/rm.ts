// `mcrctl rm <id|name>`: deletes a relay; the service stops forwarding it at once.
import type { Command } from '../command';
import { relayPath, resolveRelay } from '../resolve-relay';

export const rmCommand: Command = {
  name: 'rm',
  synopsis: 'rm <id|name>',
  summary: 'Delete a relay',
  optionHelp: [],
  examples: ['mcrctl rm market-feed-a', 'mcrctl rm 3f2c9d1e-...'],
  options: {},
  positionals: { min: 1, max: 1, names: '<id|name>' },
  async run(ctx, { positionals }) {
    const relay = await resolveRelay(ctx.client, positionals[0]);
    await ctx.client.delete(relayPath(relay.id));
    ctx.out.write(
      ctx.json
        ? `${JSON.stringify({ deleted: relay.id, name: relay.name })}\n`
        : `deleted relay ${relay.name} (${relay.id})\n`,
    );
  },
};
