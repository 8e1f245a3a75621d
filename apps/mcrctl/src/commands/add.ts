// `mcrctl add`: creates a relay from flags an operator can type (see relay-flags.ts).
import type { Relay } from '@mcr/model';
import type { Command } from '../command';
import { flagOption, stringListOption, stringOption } from '../options';
import { relaySpecFromFlags } from '../relay-flags';
import { renderRelayDetail } from '../relay-view';

export const addCommand: Command = {
  name: 'add',
  synopsis: 'add --name NAME --in IF:ADDR:PORT [--source ADDR]... --out IF:ADDR:PORT[:OPT=V]... [--disabled]',
  summary: 'Create a relay',
  optionHelp: [
    '--name NAME            unique name of the relay (required)',
    '--in IF:ADDR:PORT      ingress: interface, group or local unicast address, UDP port (required)',
    '--source ADDR          SSM source; repeat or separate with commas (default: any source)',
    '--out IF:ADDR:PORT[:ttl=N|inherit][:dscp=N][:source=ADDR][:ondemand=on]',
    '                       output (required, repeatable): destination group or host;',
    '                       ondemand=on sends only while a member is reported (needs the querier)',
    '--disabled             create the relay disabled (stored, not forwarding)',
    'IPv6 addresses are written in brackets: eth0:[ff3e::1]:5000',
  ],
  examples: [
    'mcrctl add --name market-feed-a --in eth0:239.1.1.1:5000 --source 10.0.0.5 \\\n' +
      '      --out eth1:239.2.2.2:6000:ttl=16:dscp=46 --out wg0:10.100.0.2:6000',
    'mcrctl add --name v6-feed --in eth0:[ff3e::1]:5000 --out eth1:[ff3e::2]:5000:ttl=inherit',
  ],
  options: {
    name: { type: 'string' },
    in: { type: 'string' },
    source: { type: 'string', multiple: true },
    out: { type: 'string', multiple: true },
    disabled: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx, { values }) {
    const spec = relaySpecFromFlags({
      name: stringOption(values, 'name'),
      in: stringOption(values, 'in'),
      source: stringListOption(values, 'source'),
      out: stringListOption(values, 'out'),
      disabled: flagOption(values, 'disabled'),
    });
    const relay = await ctx.client.postJson<Relay>('/api/v1/relays', spec);
    if (ctx.json) {
      ctx.out.write(`${JSON.stringify(relay, null, 2)}\n`);
    } else {
      ctx.out.write(`created relay ${relay.name} (${relay.id})\n\n${renderRelayDetail(relay)}`);
    }
  },
};
