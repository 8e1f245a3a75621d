// `mcrctl enable|disable <id|name>`: one merge patch of `enabled` (PATCH /api/v1/relays/{id}), so
// nothing else about the relay is sent back and a concurrent edit of another field is kept.
import type { Relay } from '@mcr/model';
import type { Command } from '../command';
import { relayPath, resolveRelay } from '../resolve-relay';

function enabledCommand(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return {
    name: verb,
    synopsis: `${verb} <id|name>`,
    summary: enabled ? 'Start forwarding a disabled relay' : 'Stop forwarding a relay and keep it stored',
    optionHelp: [],
    examples: [`mcrctl ${verb} market-feed-a`],
    options: {},
    positionals: { min: 1, max: 1, names: '<id|name>' },
    async run(ctx, { positionals }) {
      const relay = await resolveRelay(ctx.client, positionals[0]);
      const patched = await ctx.client.patchJson<Relay>(relayPath(relay.id), { enabled });
      ctx.out.write(
        ctx.json ? `${JSON.stringify(patched, null, 2)}\n` : `${verb}d relay ${patched.name} (${patched.id})\n`,
      );
    },
  };
}

export const enableCommand = enabledCommand(true);
export const disableCommand = enabledCommand(false);
