// `mcrctl add`: creates a relay from flags an operator can type (see relay-flags.ts).
import type { Relay } from '@mcr/model';
import type { Command } from '../command';
import { flagOption, stringListOption, stringOption } from '../options';
import { redundancyFromFlags } from '../redundancy-flags';
import { relaySpecFromFlags } from '../relay-flags';
import { renderRelayDetail } from '../relay-view';

export const addCommand: Command = {
  name: 'add',
  synopsis:
    'add --name NAME --in IF:ADDR:PORT [--source ADDR]... --out IF:ADDR:PORT[:OPT=V]... [--disabled]\n' +
    '    [--preferred-node NODE] [--analyze auto|rtp|ts|off]\n' +
    '    [--in-b IF:ADDR:PORT [--source-b ADDR]... [--mode merge|failover] [--key rtp|payload]\n' +
    '     [--window-ms N] [--loss-ms N] [--revert-ms N]]',
  summary: 'Create a relay',
  optionHelp: [
    '--name NAME            unique name of the relay (required)',
    '--in IF:ADDR:PORT      ingress: interface, group or local unicast address, UDP port (required)',
    '--source ADDR          SSM source; repeat or separate with commas (default: any source)',
    '--out IF:ADDR:PORT[:ttl=N|inherit][:dscp=N][:source=ADDR][:ondemand=on]',
    '                       output (required, repeatable): destination group or host;',
    '                       ondemand=on sends only while a member is reported (needs the querier)',
    '--disabled             create the relay disabled (stored, not forwarding)',
    '--preferred-node NODE  MCR_PLACEMENT=relay: the node (MCR_NODE_ID) that forwards it when it can',
    '--analyze MODE         what the input is analysed as: auto (RTP and MPEG-TS, default), rtp, ts, off',
    '--in-b IF:ADDR:PORT    a second (B) leg of the same feed (redundancy.input)',
    '--source-b ADDR        SSM source of the B leg; repeat or separate with commas',
    '--mode MODE            merge (default: first copy wins) or failover (one leg at a time)',
    '--key KEY              merge key: rtp (SSRC + sequence, default) or payload (hash of the bytes)',
    '--window-ms N          merge: how long a key is remembered, the largest skew merged (default 50)',
    '--loss-ms N            failover: silence before the other leg takes over (default 100)',
    '--revert-ms N          failover: primary alive this long takes over again (default 0 = never)',
    'IPv6 addresses are written in brackets: eth0:[ff3e::1]:5000',
  ],
  examples: [
    'mcrctl add --name market-feed-a --in eth0:239.1.1.1:5000 --source 10.0.0.5 \\\n' +
      '      --out eth1:239.2.2.2:6000:ttl=16:dscp=46 --out wg0:10.100.0.2:6000',
    'mcrctl add --name v6-feed --in eth0:[ff3e::1]:5000 --out eth1:[ff3e::2]:5000:ttl=inherit',
    'mcrctl add --name feed-ab --in eth1:239.1.1.1:5000 --in-b eth2:239.1.2.1:5000 --mode merge \\\n' +
      '      --key rtp --window-ms 50 --out eth3:239.9.9.9:5000',
  ],
  options: {
    name: { type: 'string' },
    in: { type: 'string' },
    source: { type: 'string', multiple: true },
    out: { type: 'string', multiple: true },
    disabled: { type: 'boolean' },
    'preferred-node': { type: 'string' },
    analyze: { type: 'string' },
    'in-b': { type: 'string' },
    'source-b': { type: 'string', multiple: true },
    mode: { type: 'string' },
    key: { type: 'string' },
    'window-ms': { type: 'string' },
    'loss-ms': { type: 'string' },
    'revert-ms': { type: 'string' },
  },
  positionals: { min: 0, max: 0, names: '' },
  async run(ctx, { values }) {
    const spec = relaySpecFromFlags({
      name: stringOption(values, 'name'),
      in: stringOption(values, 'in'),
      source: stringListOption(values, 'source'),
      out: stringListOption(values, 'out'),
      disabled: flagOption(values, 'disabled'),
      preferredNode: stringOption(values, 'preferred-node'),
      analyze: stringOption(values, 'analyze'),
    });
    const redundancy = redundancyFromFlags({
      inB: stringOption(values, 'in-b'),
      sourceB: stringListOption(values, 'source-b'),
      mode: stringOption(values, 'mode'),
      key: stringOption(values, 'key'),
      windowMs: stringOption(values, 'window-ms'),
      lossMs: stringOption(values, 'loss-ms'),
      revertMs: stringOption(values, 'revert-ms'),
    });
    if (redundancy !== undefined) spec.redundancy = redundancy;
    const relay = await ctx.client.postJson<Relay>('/api/v1/relays', spec);
    if (ctx.json) {
      ctx.out.write(`${JSON.stringify(relay, null, 2)}\n`);
    } else {
      ctx.out.write(`created relay ${relay.name} (${relay.id})\n\n${renderRelayDetail(relay)}`);
    }
  },
};
