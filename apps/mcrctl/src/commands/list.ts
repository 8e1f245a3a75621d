// `mcrctl list`: every relay, one per row, or the API's array with --json.
import type { Relay } from '@mcr/model';
import type { Command } from '../command';
import { renderRelayList } from '../relay-view';

export const listCommand: Command = {
  name: 'list',
  synopsis: 'list',
  summary: 'List all relays',
  optionHelp: [],
  examples: ['mcrctl list', 'mcrctl list --json | jq -r ".[].name"'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx) {
    const relays = await ctx.client.getJson<Relay[]>('/api/v1/relays');
    ctx.out.write(ctx.json ? `${JSON.stringify(relays, null, 2)}\n` : renderRelayList(relays));
  },
};
