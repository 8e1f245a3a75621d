// `mcrctl maintenance on|off`: maintenance mode of the node --url points at (POST
// /api/v1/cluster/maintenance). On: it stops campaigning, and hands over first if it is active.
import type { Command } from '../command';
import { UsageError } from '../usage-error';
import type { AcceptedView } from './switchover';

const MODES: Record<string, boolean> = { on: true, off: false };

function parseMode(word: string): boolean {
  const enabled = MODES[word];
  if (enabled === undefined)
    throw new UsageError(`maintenance: mode must be 'on' or 'off', got '${word}'`, 'maintenance');
  return enabled;
}

export const maintenanceCommand: Command = {
  name: 'maintenance',
  synopsis: 'maintenance on|off',
  summary: 'Put this node in or out of maintenance (on: it hands over and stops taking leadership)',
  optionHelp: [
    'on                     the node at --url stops taking leadership; if it is active it hands',
    '                       over to a standby first (refused when there is no standby)',
    'off                    the node campaigns for leadership again',
  ],
  examples: [
    'mcrctl maintenance on                             # this node hands over; patch it, then:',
    'mcrctl maintenance off                            # it campaigns again',
    'mcrctl --url http://relay-b:8080 maintenance on   # the same for relay-b, from anywhere',
  ],
  options: {},
  positionals: { min: 1, max: 1, names: 'on|off' },
  completePositionals: ['on', 'off'],
  async run(ctx, { positionals }) {
    const enabled = parseMode(positionals[0]);
    const accepted = await ctx.client.postJson<AcceptedView>('/api/v1/cluster/maintenance', { enabled });
    ctx.out.write(
      ctx.json
        ? `${JSON.stringify(accepted ?? {}, null, 2)}\n`
        : `${accepted?.message ?? `maintenance mode ${positionals[0]}`}\n`,
    );
  },
};
