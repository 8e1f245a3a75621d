// `mcrctl diag [<id|name>]`: what on this host keeps relays from forwarding (rp_filter, routes
// back to SSM sources, unanswered next hops, interfaces, engine refusals, silent inputs) and what
// to change. Without a relay, every relay in one request; --json prints the API's answer. Exits 3
// when a relay has an error or a warning, so a script or a monitoring probe can act on it.
import type { Command } from '../command';
import { EXIT_FINDINGS } from '../exit-codes';
import { needsAction, renderDiagnostics, type RelayDiagnosticsView } from '../diagnostics-view';
import { relayPath, resolveRelay } from '../resolve-relay';

export const diagCommand: Command = {
  name: 'diag',
  synopsis: 'diag [<id|name>]',
  summary: 'Check the host for what keeps relays from forwarding, and say what to change',
  optionHelp: [],
  examples: ['mcrctl diag', 'mcrctl diag market-feed-a', 'mcrctl diag --json | jq ".relays[].findings[].code"'],
  options: {},
  positionals: { min: 0, max: 1, names: '[<id|name>]' },
  async run(ctx, { positionals }) {
    let body: unknown;
    let relays: RelayDiagnosticsView[];
    if (positionals.length === 0) {
      const node = await ctx.client.getJson<{ relays: RelayDiagnosticsView[] }>('/api/v1/diagnostics');
      [body, relays] = [node, node.relays];
    } else {
      const relay = await resolveRelay(ctx.client, positionals[0]);
      const one = await ctx.client.getJson<RelayDiagnosticsView>(`${relayPath(relay.id)}/diagnostics`);
      [body, relays] = [one, [one]];
    }
    ctx.out.write(ctx.json ? `${JSON.stringify(body, null, 2)}\n` : renderDiagnostics(relays));
    return relays.some(needsAction) ? EXIT_FINDINGS : undefined;
  },
};
