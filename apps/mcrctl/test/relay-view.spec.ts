// Relay views: endpoints in the `add` syntax (defaults left out, IPv6 bracketed), detail page.
import type { Relay } from '@mcr/model';
import { formatIngress, formatOutput, renderRelayDetail, renderRelayList } from '../src/relay-view';

describe('relay views', () => {
  it.each([
    [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 1, dscp: 0 }, 'eth1:239.2.2.2:6000'],
    [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 16, dscp: 46 }, 'eth1:239.2.2.2:6000:ttl=16:dscp=46'],
    [{ interface: 'eth1', group: '239.2.2.2', port: 6000, onDemand: true }, 'eth1:239.2.2.2:6000:ondemand=on'],
    [{ interface: 'eth1', group: 'ff3e::2', port: 6000, ttl: 'inherit' as const }, 'eth1:[ff3e::2]:6000:ttl=inherit'],
    [
      { interface: 'wg0', group: '2001:db8::2', port: 6000, source: '2001:db8::1' },
      'wg0:[2001:db8::2]:6000:source=[2001:db8::1]',
    ],
  ])('formatOutput(%j) = %s', (output, text) => {
    expect(formatOutput(output)).toBe(text);
  });

  it('shows the SSM sources of an ingress', () => {
    expect(
      formatIngress({ interface: 'eth0', group: '232.1.1.1', port: 5000, sources: ['10.0.0.5', '10.0.0.6'] }),
    ).toBe('eth0:232.1.1.1:5000 from 10.0.0.5,10.0.0.6');
  });

  it("lists relays with the node's state when known, else the stored enabled/disabled", () => {
    const relay = (id: string, name: string, enabled: boolean): Relay => ({
      id,
      name,
      enabled,
      revision: 1,
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
      outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 }],
    });
    const relays = [relay('r2', 'feed-b', false), relay('r1', 'feed-a', true)];
    const states = (text: string) =>
      text
        .split('\n')
        .slice(1, 3)
        .map((line) => line.split(/\s+/)[2]);
    expect(
      states(
        renderRelayList(
          relays,
          new Map([
            ['r1', { state: 'waiting' }],
            ['r2', { state: 'disabled' }],
          ]),
        ),
      ),
    ).toEqual(['waiting', 'disabled']);
    expect(states(renderRelayList(relays, new Map([['r2', { state: 'disabled' }]])))).toEqual(['enabled', 'disabled']);
    expect(states(renderRelayList(relays))).toEqual(['enabled', 'disabled']);
  });

  it('adds each reason after the list, and to the detail page, as the node reports it', () => {
    const relay: Relay = {
      id: 'r1',
      name: 'feed-a',
      enabled: true,
      revision: 2,
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
      outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 }],
    };
    const status = { state: 'failed', reason: 'no such device' };
    expect(renderRelayList([relay], new Map([['r1', status]]))).toMatch(/\n\nfeed-a: failed: no such device\n$/);
    expect(renderRelayDetail(relay, status)).toContain('state:    failed\nreason:   no such device\n');
    expect(renderRelayDetail(relay, { state: 'forwarding' })).not.toContain('reason');
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

  it('shows the preferred node on the detail page when the relay names one', () => {
    const relay: Relay = {
      id: 'r1',
      name: 'feed-a',
      enabled: true,
      revision: 2,
      input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
      outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 }],
      preferredNode: 'mcr-b',
    };
    expect(renderRelayDetail(relay)).toContain('\npreferred node: mcr-b\n');
    expect(renderRelayDetail({ ...relay, preferredNode: undefined })).not.toContain('preferred node');
  });
});
