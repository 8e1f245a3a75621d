// `mcrctl switchover <node>`: planned handover (POST /api/v1/cluster/switchover); the active node
// stops forwarding, then <node> takes over within the lease time. Any node of the cluster accepts it.
import type { Command } from '../command';

/** The service's 202 body. */
export interface AcceptedView {
  message: string;
}

export const switchoverCommand: Command = {
  name: 'switchover',
  synopsis: 'switchover <node>',
  summary: 'Hand the active role over to <node> (planned, within the lease time)',
  optionHelp: [],
  examples: [
    'mcrctl switchover relay-b && mcrctl cluster  # relay-b shows as active within the lease time',
    'mcrctl --url http://10.0.0.2:8080 switchover relay-a',
  ],
  options: {},
  positionals: { min: 1, max: 1, names: '<node>' },
  async run(ctx, { positionals }) {
    const accepted = await ctx.client.postJson<AcceptedView>('/api/v1/cluster/switchover', { to: positionals[0] });
    ctx.out.write(
      ctx.json
        ? `${JSON.stringify(accepted ?? {}, null, 2)}\n`
        : `${accepted?.message ?? `switchover to ${positionals[0]} requested`}; 'mcrctl cluster' shows the new active node\n`,
    );
  },
};
