// Relay views: endpoints in the `add` syntax (defaults left out, IPv6 bracketed), detail page.
import type { Relay } from '@mcr/model';
import { formatIngress, formatOutput, renderRelayDetail } from '../src/relay-view';

describe('relay views', () => {
  it.each([
    [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 1, dscp: 0 }, 'eth1:239.2.2.2:6000'],
    [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16, dscp: 46 }, 'eth1:239.2.2.2:6000:ttl=16:dscp=46'],
    [{ interface: 'eth1', group: 'ff3e::2', port: 6000, ttl: 'inherit' as const }, 'eth1:[ff3e::2]:6000:ttl=inherit'],
    [{ interface: 'wg0', group: '2001:db8::2', port: 6000, source: '2001:db8::1' }, 'wg0:[2001:db8::2]:6000:source=[2001:db8::1]'],
  ])('formatOutput(%j) = %s', (output, text) => {
    expect(formatOutput(output)).toBe(text);
  });

  it('shows the SSM sources of an ingress', () => {
    expect(formatIngress({ interface: 'eth0', group: '232.1.1.1', port: 5000, sources: ['10.0.0.5', '10.0.0.6'] })).toBe(
      'eth0:232.1.1.1:5000 from 10.0.0.5,10.0.0.6',
    );
  });

  it('renders the detail page with every output and its effective ttl and dscp', () => {
    const relay: Relay = {
      id: 'r1',
      name: 'feed-a',
      enabled: false,
      revision: 7,
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
      outputs: [
        { interface: 'eth1', group: '239.2.2.2', port: 6000 },
        { interface: 'wg0', group: '10.100.0.2', port: 16000, ttl: 'inherit', dscp: 46, source: '10.100.0.1' },
      ],
    };
    expect(renderRelayDetail(relay)).toBe(
      [
        'id:       r1',
        'name:     feed-a',
        'state:    disabled',
        'revision: 7',
        'ingress:  eth0:239.1.1.1:5000',
        'sources:  any',
        'outputs:  2',
        '',
        '#  INTERFACE  GROUP        PORT      TTL  DSCP  SOURCE',
        '0  eth1       239.2.2.2    6000        1     0  -',
        '1  wg0        10.100.0.2  16000  inherit    46  10.100.0.1',
        '',
      ].join('\n'),
    );
  });
});
