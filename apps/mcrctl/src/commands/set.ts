// `mcrctl set <id|name> ...`: changes the named fields of a relay with one merge patch
// (PATCH /api/v1/relays/{id}); whatever the flags do not name stays as it is.
import type { Relay } from '@mcr/model';
import type { Command } from '../command';
import { flagOption, stringListOption, stringOption } from '../options';
import { relayPatchFromFlags } from '../relay-patch-flags';
import { renderRelayDetail } from '../relay-view';
import { relayPath, resolveRelay } from '../resolve-relay';

export const setCommand: Command = {
  name: 'set',
  synopsis:
    'set <id|name> [--name NAME] [--in IF:ADDR:PORT] [--source ADDR]... [--out ...]... [--ttl N] [--dscp N]\n' +
    '    [--preferred-node NODE | --any-node] [--analyze auto|rtp|ts|off]',
  summary: 'Change some fields of a relay (the others are kept)',
  optionHelp: [
    '--name NAME            rename the relay (its id stays)',
    '--in IF:ADDR:PORT      new ingress: interface, group or local address, UDP port (sources are kept)',
    '--source ADDR          new SSM source list; repeat or separate with commas',
    '--any-source           drop the SSM source list (receive from any source)',
    '--out IF:ADDR:PORT[:ttl=N|inherit][:dscp=N][:source=ADDR]',
    '                       new outputs (repeatable): they replace every current output',
    '--ttl N|inherit        TTL of every output (with --out: of the outputs without ttl=)',
    '--dscp N               DSCP of every output (with --out: of the outputs without dscp=)',
    '--preferred-node NODE  MCR_PLACEMENT=relay: the node (MCR_NODE_ID) that forwards it when it can',
    '--any-node             drop the preferred node (placement spreads the relay as any other)',
    '--analyze MODE         what the input is analysed as: auto, rtp, ts, off (in place, no rebuild)',
    'Without --out, --ttl/--dscp rewrite the current outputs, and the change is refused if the',
    'relay changed meanwhile (If-Match); run it again.',
  ],
  examples: [
    'mcrctl set market-feed-a --ttl 16',
    'mcrctl set market-feed-a --out eth1:239.2.2.2:6000 --out wg0:10.100.0.2:6000:ttl=4',
    'mcrctl set market-feed-a --in eth0:239.1.1.9:5000 --any-source',
  ],
  options: {
    name: { type: 'string' },
    in: { type: 'string' },
    source: { type: 'string', multiple: true },
    'any-source': { type: 'boolean' },
    out: { type: 'string', multiple: true },
    ttl: { type: 'string' },
    dscp: { type: 'string' },
    'preferred-node': { type: 'string' },
    'any-node': { type: 'boolean' },
    analyze: { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: '<id|name>' },
  async run(ctx, { values, positionals }) {
    const patchOf = relayPatchFromFlags({
      name: stringOption(values, 'name'),
      in: stringOption(values, 'in'),
      source: stringListOption(values, 'source'),
      anySource: flagOption(values, 'any-source'),
      out: stringListOption(values, 'out'),
      ttl: stringOption(values, 'ttl'),
      dscp: stringOption(values, 'dscp'),
      preferredNode: stringOption(values, 'preferred-node'),
      anyNode: flagOption(values, 'any-node'),
      analyze: stringOption(values, 'analyze'),
    });
    const relay = await resolveRelay(ctx.client, positionals[0]);
    const { patch, ifMatch } = patchOf(relay);
    const patched = await ctx.client.patchJson<Relay>(relayPath(relay.id), patch, ifMatch);
    ctx.out.write(
      ctx.json
        ? `${JSON.stringify(patched, null, 2)}\n`
        : `updated relay ${patched.name} (${patched.id})\n\n${renderRelayDetail(patched)}`,
    );
  },
};
