// @ts-check
// MCR's declared contract, the one place for every limit, default, counter and error code that
// more than one layer knows: the C++ core (through a generated header), @mcr/engine, the relay
// rules of @mcr/model, mcrd's DTOs, OpenAPI document and Prometheus metrics, and mcrctl's flags.
//
// Plain CommonJS data with no build step, on purpose: the native build runs at `npm ci`, before
// any TypeScript is compiled, and turns this file into native's contract header
// (scripts/generate-cpp-header.js). The `@type {const}` casts give TypeScript literal types, so
// names and codes below are checked wherever they are used.
'use strict';

/**
 * "an integer 1..65535": how every layer words an integer range after "<field> must be ".
 * @param {{ min: number, max: number }} range
 */
const integerRule = ({ min, max }) => `an integer ${min}..${max}`;

const port = /** @type {const} */ ({ min: 1, max: 65535 });
const ttl = /** @type {const} */ ({ min: 1, max: 255 });
const dscp = /** @type {const} */ ({ min: 0, max: 63 });
const outputs = /** @type {const} */ ({ min: 1, max: 256 });
const windowMs = /** @type {const} */ ({ min: 1, max: 1000 });
const lossMs = /** @type {const} */ ({ min: 10, max: 60000 });
const revertMs = /** @type {const} */ ({ min: 0, max: 3600000 });

/**
 * A cluster node's id (MCR_NODE_ID) and a cluster's name (MCR_CLUSTER): one etcd key segment each,
 * so no '/' and nothing a shell or a log line would mangle. A relay's preferredNode names a node
 * id and follows the same rule.
 */
const nodeName = /** @type {const} */ ({
  maxChars: 63,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$',
  rule: '1..63 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
});

/**
 * The relay resource (apps/mcrd/openapi.json). `rule` is the phrase every layer puts after
 * "<field> must be ": the core, the model's rules, the DTOs and mcrctl word a refusal alike.
 */
const relaySpec = /** @type {const} */ ({
  name: {
    maxChars: 128,
    rule: 'a non-empty string of at most 128 characters',
    // Look-alikes: ' seed ' or 'se\u200bed' must not pass for 'seed' in a list or a log.
    edgeRule: 'without leading or trailing whitespace',
    visibleRule: 'free of control, zero-width and bidirectional formatting characters',
  },
  // IFNAMSIZ is 16 including the terminating NUL.
  interfaceName: { maxChars: 15, rule: "a Linux interface name (1..15 characters, no '/', ':' or whitespace)" },
  port: { ...port, rule: integerRule(port) },
  // "inherit" = the ingress TTL minus one, dropping at <= 1.
  ttl: { ...ttl, default: 1, inherit: 'inherit', rule: `${integerRule(ttl)} or 'inherit'` },
  dscp: { ...dscp, default: 0, rule: integerRule(dscp) },
  outputs: { ...outputs, rule: `an array of ${outputs.min}..${outputs.max} outputs` },
  /**
   * A second (B) ingress of the same feed (docs/redundancy.md). "merge": both legs forward, the
   * first copy of each datagram wins and later copies within windowMs are dropped; "failover":
   * only the active leg forwards, the other takes over after lossMs of silence, and the primary
   * takes over again once it has been alive revertMs (0 = never).
   */
  redundancy: {
    modes: ['merge', 'failover'],
    modeRule: "'merge' or 'failover'",
    // rtp: SSRC + extended sequence number (RFC 3550); payload: a 64-bit hash of the UDP payload.
    keys: ['rtp', 'payload'],
    keyDefault: 'rtp',
    keyRule: "'rtp' or 'payload'",
    windowMs: { ...windowMs, default: 50, rule: integerRule(windowMs) },
    lossMs: { ...lossMs, default: 100, rule: integerRule(lossMs) },
    revertMs: { ...revertMs, default: 0, rule: integerRule(revertMs) },
    sameInputRule: 'a different ingress than input (interface, group, port and sources)',
  },
  /**
   * MCR_PLACEMENT=relay: the node that owns the relay whenever it is healthy, out of maintenance
   * and receives the input (apps/mcrd/docs/ha.md); ignored with MCR_PLACEMENT=node.
   */
  preferredNode: nodeName,
  /**
   * What the input is analysed as (docs/stream-analysis.md): "auto" recognises RTP and MPEG-TS
   * per datagram, "rtp" and "ts" look for one only, "off" looks at nothing.
   */
  analyze: {
    modes: ['auto', 'rtp', 'ts', 'off'],
    default: 'auto',
    rule: "'auto', 'rtp', 'ts' or 'off'",
  },
});

/**
 * Limits of every request body mcrd reads (JSON, and rules files as JSON5 text). A relay nests 3
 * levels deep and a rules file 5; deeper bodies are refused (400) before anything walks them, so
 * no check can recurse out of stack.
 */
const maxBodyDepth = 32;
const requestBody = /** @type {const} */ ({
  maxDepth: maxBodyDepth,
  depthRule: `nested at most ${maxBodyDepth} levels deep (objects and arrays)`,
});

/**
 * Options of `new Engine(options)`. `name` is the caller's spelling (the core's fields are the
 * snake_case of it); errors name options this way. `environment` is mcrd's variable for it.
 * Ranges are what the core enforces; every other layer reads them from here.
 */
const engineOptions = /** @type {const} */ ([
  {
    name: 'workers',
    type: 'integer',
    min: 1,
    max: 256,
    default: 1,
    unit: 'threads',
    environment: 'MCR_ENGINE_WORKERS',
    help: 'Forwarding threads; relays are spread across them.',
  },
  {
    // UIO_MAXIOV: the most datagrams one recvmmsg / sendmmsg takes.
    name: 'batchSize',
    type: 'integer',
    min: 1,
    max: 1024,
    default: 64,
    unit: 'datagrams',
    help: 'Datagrams per recvmmsg / sendmmsg call.',
  },
  {
    // The largest UDP payload is 65535 bytes; 9216 holds a 9000-byte MTU datagram.
    name: 'bufferSize',
    type: 'integer',
    min: 1,
    max: 65535,
    default: 9216,
    unit: 'bytes',
    help: 'Bytes per receive slot; larger datagrams are counted as truncated, never forwarded.',
  },
  {
    name: 'socketBufferBytes',
    type: 'integer',
    min: 1,
    max: 2147483647,
    default: 4194304,
    unit: 'bytes',
    help: 'Requested SO_RCVBUF / SO_SNDBUF of every socket (SO_*BUFFORCE tried first).',
  },
  {
    name: 'gso',
    type: 'boolean',
    default: true,
    help: 'UDP GSO (UDP_SEGMENT) on send where the kernel accepts it; refusals fall back to plain sends (counted in gsoFallbacks).',
  },
  {
    name: 'gro',
    type: 'boolean',
    default: false,
    environment: 'MCR_ENGINE_GRO',
    help: 'UDP GRO (UDP_GRO) on the ingress sockets; receive slots become 64 KiB each and bufferSize is ignored.',
  },
  {
    // cpu_set_t holds CPUs 0..CPU_SETSIZE-1.
    name: 'cpus',
    type: 'integerList',
    min: 0,
    max: 1023,
    unit: 'CPU numbers',
    environment: 'MCR_ENGINE_CPUS',
    help: "CPUs to pin the workers to, round-robin; empty = the process's affinity.",
  },
  {
    // SCHED_FIFO priorities on Linux are 1..99; 0 = normal scheduling.
    name: 'realtimePriority',
    type: 'integer',
    min: 0,
    max: 99,
    default: 0,
    unit: 'SCHED_FIFO priority',
    environment: 'MCR_ENGINE_REALTIME_PRIORITY',
    help: 'SCHED_FIFO priority of the workers (needs CAP_SYS_NICE); 0 = normal scheduling.',
  },
  {
    // A second: longer only delays going to sleep.
    name: 'busyPollUs',
    type: 'integer',
    min: 0,
    max: 1000000,
    default: 0,
    unit: 'microseconds',
    environment: 'MCR_ENGINE_BUSY_POLL_US',
    help: 'How long a worker keeps polling its sockets after a wakeup that found datagrams; 0 = off.',
  },
  {
    // Sockets stay the default until the eBPF datapath has proven itself in production.
    name: 'datapath',
    type: 'choice',
    choices: ['socket', 'ebpf', 'auto'],
    default: 'socket',
    environment: 'MCR_ENGINE_DATAPATH',
    help: 'Who forwards: "socket" (worker threads), "ebpf" (a tc program in the receive softirq; relays it cannot forward stay on sockets, each with its reason), "auto" (eBPF when the build and host allow it, sockets otherwise).',
  },
]);

/**
 * Every counter the engine keeps, under one name in every layer (C++: its snake_case).
 * - scope: per relay, per output of a relay, or per input leg of a redundant relay.
 * - native: the core's live type; `errnoTable` also reports the count per errno; `gauge` is a
 *   value published whole (set, may go down), not incremented.
 * - rest: where GET .../stats shows it: the relay itself, the relay's `drops`, each output, or
 *   each entry of the relay's `legs`.
 * - prometheus: its own counter `metric`, or a `dropReason` of mcr_relay_drops_total (an output
 *   counter summed over the relay's outputs); the REST totals' `drops` sums exactly these.
 *   `type: 'gauge'` exports a level rather than a counter.
 *   Absent: not exported.
 */
const counters = /** @type {const} */ ([
  {
    name: 'packetsIn',
    scope: 'relay',
    native: 'counter',
    unit: 'datagrams',
    rest: 'relay',
    example: 1200000,
    help: 'Datagrams received by the relay ingress.',
    prometheus: { metric: 'mcr_relay_packets_received_total' },
  },
  {
    name: 'bytesIn',
    scope: 'relay',
    native: 'counter',
    unit: 'bytes',
    rest: 'relay',
    example: 1600000000,
    help: 'Payload bytes received by the relay ingress.',
    prometheus: { metric: 'mcr_relay_bytes_received_total' },
  },
  {
    name: 'rxqOverflow',
    scope: 'relay',
    native: 'counter',
    unit: 'datagrams',
    rest: 'drops',
    example: 0,
    help: 'Datagrams the kernel dropped because the ingress socket queue was full (SO_RXQ_OVFL).',
    prometheus: { dropReason: 'rxq_overflow' },
  },
  {
    name: 'truncated',
    scope: 'relay',
    native: 'counter',
    unit: 'datagrams',
    rest: 'drops',
    example: 0,
    help: 'Datagrams larger than the receive buffer; counted, never forwarded.',
    prometheus: { dropReason: 'truncated' },
  },
  {
    name: 'ttlExpired',
    scope: 'relay',
    native: 'counter',
    unit: 'datagrams',
    rest: 'drops',
    example: 0,
    help: 'Datagrams dropped by ttl "inherit" outputs (arrived with TTL <= 1).',
    prometheus: { dropReason: 'ttl_expired' },
  },
  {
    name: 'notForwardedStandby',
    scope: 'relay',
    native: 'counter',
    unit: 'datagrams',
    rest: 'drops',
    example: 0,
    help: 'Drained without sending because this node is standby (a disabled relay receives nothing).',
  },
  {
    // "fenced" is older than the counter's name; dashboards and alerts use it.
    name: 'heldByFence',
    scope: 'relay',
    native: 'counter',
    unit: 'datagrams',
    rest: 'drops',
    example: 0,
    help: 'Drained without sending because the leadership lease (forwardUntil) had expired.',
    prometheus: { dropReason: 'fenced' },
  },
  {
    name: 'receiveErrors',
    scope: 'relay',
    native: 'counter',
    unit: 'calls',
    rest: 'relay',
    example: 0,
    help: 'recvmmsg calls on the ingress that failed with an error (not EAGAIN or EINTR); each is also a receive-error event, at most one a second.',
    prometheus: { metric: 'mcr_relay_receive_errors_total' },
  },
  {
    name: 'packets',
    scope: 'output',
    native: 'counter',
    unit: 'datagrams',
    rest: 'output',
    example: 1200000,
    help: 'Datagrams sent by the relay output.',
    prometheus: { metric: 'mcr_relay_packets_forwarded_total' },
  },
  {
    name: 'bytes',
    scope: 'output',
    native: 'counter',
    unit: 'bytes',
    rest: 'output',
    example: 1600000000,
    help: 'Payload bytes sent by the relay output.',
    prometheus: { metric: 'mcr_relay_bytes_forwarded_total' },
  },
  {
    name: 'sendErrors',
    scope: 'output',
    native: 'errnoTable',
    unit: 'datagrams',
    rest: 'output',
    example: 0,
    help: 'Datagrams the output failed to send.',
    prometheus: { dropReason: 'send_error' },
  },
  {
    name: 'gsoDatagrams',
    scope: 'output',
    native: 'counter',
    unit: 'datagrams',
    rest: 'output',
    example: 1150000,
    help: 'Datagrams the output sent inside UDP GSO (UDP_SEGMENT) messages, several per system call.',
    prometheus: { metric: 'mcr_relay_gso_datagrams_total' },
  },
  {
    name: 'gsoFallbacks',
    scope: 'output',
    native: 'counter',
    unit: 'sends',
    rest: 'output',
    example: 0,
    help: 'Times the kernel refused GSO on the output (MTU shrank, IPsec policy, no checksum offload) and the batch went out one datagram per message; GSO is tried again 10 s later.',
    prometheus: { metric: 'mcr_relay_gso_fallbacks_total' },
  },
  {
    name: 'pruned',
    scope: 'output',
    native: 'counter',
    unit: 'datagrams',
    rest: 'output',
    example: 0,
    help: 'Datagrams an on-demand output did not send because no member of its group was reported on its interface.',
    prometheus: { metric: 'mcr_relay_pruned_total' },
  },
  {
    name: 'prunedMs',
    scope: 'output',
    native: 'counter',
    unit: 'milliseconds',
    rest: 'output',
    example: 0,
    help: 'How long an on-demand output has been pruned (no member reported), in total since it was opened.',
    prometheus: { metric: 'mcr_relay_pruned_milliseconds_total' },
  },
  // Stream analysis (docs/stream-analysis.md) of the relay's `input`, while `analyze` is not off:
  // running totals the analyzer keeps and the worker publishes whole after each batch.
  {
    name: 'rtpLost',
    scope: 'relay',
    native: 'gauge',
    unit: 'datagrams',
    rest: 'relay',
    example: 12,
    help: 'RTP sequence numbers skipped on the input and not received late: loss before MCR, which the relay cannot repair. A late arrival takes one back (RFC 3550 cumulative loss), so it may go down.',
    // A gauge: a counter that goes down would read as a reset to Prometheus.
    prometheus: { metric: 'mcr_relay_rtp_lost', type: 'gauge' },
  },
  {
    name: 'rtpReordered',
    scope: 'relay',
    native: 'gauge',
    unit: 'datagrams',
    rest: 'relay',
    example: 0,
    help: 'RTP datagrams that arrived on the input after a higher sequence number.',
    prometheus: { metric: 'mcr_relay_rtp_reordered_total' },
  },
  {
    name: 'rtpDuplicates',
    scope: 'relay',
    native: 'gauge',
    unit: 'datagrams',
    rest: 'relay',
    example: 0,
    help: 'RTP datagrams on the input whose sequence number was already received.',
    prometheus: { metric: 'mcr_relay_rtp_duplicates_total' },
  },
  {
    name: 'rtpJitterUs',
    scope: 'relay',
    native: 'gauge',
    unit: 'microseconds',
    rest: 'relay',
    example: 850,
    help: 'RFC 3550 interarrival jitter of the RTP stream on the input, now (arrival time taken per receive batch).',
    prometheus: { metric: 'mcr_relay_rtp_jitter_microseconds', type: 'gauge' },
  },
  {
    name: 'tsContinuityErrors',
    scope: 'relay',
    native: 'gauge',
    unit: 'packets',
    rest: 'relay',
    example: 0,
    help: 'MPEG-TS continuity counter errors on the input (TR 101 290 1.4), raw TS or TS in RTP.',
    prometheus: { metric: 'mcr_relay_ts_continuity_errors_total' },
  },
  // Per input leg of a relay with `redundancy` (leg 0 = input, leg 1 = redundancy.input).
  {
    name: 'legPackets',
    scope: 'leg',
    native: 'counter',
    unit: 'datagrams',
    rest: 'leg',
    example: 600000,
    help: 'Datagrams received on the leg.',
    prometheus: { metric: 'mcr_relay_leg_packets_received_total' },
  },
  {
    name: 'legBytes',
    scope: 'leg',
    native: 'counter',
    unit: 'bytes',
    rest: 'leg',
    example: 800000000,
    help: 'Payload bytes received on the leg.',
    prometheus: { metric: 'mcr_relay_leg_bytes_received_total' },
  },
  {
    name: 'firstCopies',
    scope: 'leg',
    native: 'counter',
    unit: 'datagrams',
    rest: 'leg',
    example: 300000,
    help: 'Datagrams of the leg that were forwarded: the first copy (merge) or the active leg (failover).',
    prometheus: { metric: 'mcr_relay_leg_packets_forwarded_total' },
  },
  {
    name: 'duplicates',
    scope: 'leg',
    native: 'counter',
    unit: 'datagrams',
    rest: 'leg',
    example: 300000,
    help: 'Copies the other leg had already brought within windowMs, suppressed (merge).',
    prometheus: { metric: 'mcr_relay_leg_duplicates_total' },
  },
  {
    name: 'tooLate',
    scope: 'leg',
    native: 'counter',
    unit: 'datagrams',
    rest: 'leg',
    example: 0,
    help: 'Copies that arrived after windowMs had passed since the first copy; suppressed, a sign of more skew between the legs than the window (merge).',
    prometheus: { metric: 'mcr_relay_leg_too_late_total' },
  },
  {
    name: 'onlyThisLeg',
    scope: 'leg',
    native: 'counter',
    unit: 'datagrams',
    rest: 'leg',
    example: 120,
    help: 'Forwarded datagrams whose copy never came on the other leg within windowMs: losses the merge covered (counted when the entry leaves the window).',
    prometheus: { metric: 'mcr_relay_leg_only_this_leg_total' },
  },
  {
    name: 'inactiveLeg',
    scope: 'leg',
    native: 'counter',
    unit: 'datagrams',
    rest: 'leg',
    example: 0,
    help: 'Datagrams received while the leg was not the active one, not forwarded (failover).',
    prometheus: { metric: 'mcr_relay_leg_inactive_total' },
  },
  // Stream analysis of each leg (analyze not off), published like the relay's rtpLost ... above.
  {
    name: 'legRtpLost',
    scope: 'leg',
    native: 'gauge',
    unit: 'datagrams',
    rest: 'leg',
    example: 12,
    help: 'RTP sequence numbers skipped on the leg and not received late (may go down, see rtpLost).',
    prometheus: { metric: 'mcr_relay_leg_rtp_lost', type: 'gauge' },
  },
  {
    name: 'legRtpReordered',
    scope: 'leg',
    native: 'gauge',
    unit: 'datagrams',
    rest: 'leg',
    example: 0,
    help: 'RTP datagrams that arrived on the leg after a higher sequence number.',
    prometheus: { metric: 'mcr_relay_leg_rtp_reordered_total' },
  },
  {
    name: 'legRtpDuplicates',
    scope: 'leg',
    native: 'gauge',
    unit: 'datagrams',
    rest: 'leg',
    example: 0,
    help: 'RTP datagrams on the leg whose sequence number the leg had already brought.',
    prometheus: { metric: 'mcr_relay_leg_rtp_duplicates_total' },
  },
  {
    name: 'legRtpJitterUs',
    scope: 'leg',
    native: 'gauge',
    unit: 'microseconds',
    rest: 'leg',
    example: 850,
    help: 'RFC 3550 interarrival jitter of the RTP stream on the leg, now.',
    prometheus: { metric: 'mcr_relay_leg_rtp_jitter_microseconds', type: 'gauge' },
  },
  {
    name: 'legTsContinuityErrors',
    scope: 'leg',
    native: 'gauge',
    unit: 'packets',
    rest: 'leg',
    example: 0,
    help: 'MPEG-TS continuity counter errors on the leg.',
    prometheus: { metric: 'mcr_relay_leg_ts_continuity_errors_total' },
  },
]);

/**
 * What the engine throws: one error type whose `code` is one of these (the core's ErrorCode
 * enumerators are the snake_case of `name`), with `field` (caller's spelling), `value`, `errno`.
 */
const errors = /** @type {const} */ ([
  {
    name: 'invalidOption',
    code: 'ERR_MCR_OPTION',
    help: 'An engine option is out of range or of the wrong type; `field` names it (bufferSize, cpus[1]).',
  },
  {
    name: 'invalidSpec',
    code: 'ERR_MCR_SPEC',
    help: 'A relay spec or another argument breaks a rule; `field` is its path (outputs[1].port).',
  },
  { name: 'notFound', code: 'ERR_MCR_NOT_FOUND', help: 'No relay has that id.' },
  { name: 'duplicate', code: 'ERR_MCR_DUPLICATE', help: 'A relay with that id exists already.' },
  { name: 'closed', code: 'ERR_MCR_CLOSED', help: 'The engine is closed.' },
  {
    name: 'system',
    code: 'ERR_MCR_SYSTEM',
    help: 'The system refused (socket, bind, join, unknown interface, CPU pinning); `errno` says why.',
  },
]);

/**
 * What GET /api/v1/relays/{id}/diagnostics (and /api/v1/diagnostics, mcrctl diag) checks on the
 * host, one entry per check: its stable `code`, the `severity` of a finding, and what it means.
 * mcrd's diagnostics module derives its findings' codes, severities and the OpenAPI enum from here.
 */
const diagnostics = /** @type {const} */ ([
  {
    code: 'engine-refused',
    severity: 'error',
    help: 'The engine refused the relay on this node (state failed); the reason says why.',
  },
  { code: 'input-interface-missing', severity: 'error', help: 'The input interface does not exist on this host.' },
  {
    code: 'input-interface-down',
    severity: 'error',
    help: 'The input interface exists but is down (no carrier or set down).',
  },
  { code: 'output-interface-missing', severity: 'error', help: 'An output interface does not exist on this host.' },
  { code: 'output-interface-down', severity: 'error', help: 'An output interface exists but is down.' },
  {
    code: 'rp-filter-strict',
    severity: 'error',
    help: 'Strict reverse-path filtering (rp_filter 1) drops an SSM source: its route back leaves by another interface than the input.',
  },
  {
    code: 'rp-filter-drops',
    severity: 'warning',
    help: 'The relay receives nothing, its input filters by reverse path and the kernel counts reverse-path drops (IPReversePathFilter).',
  },
  { code: 'source-unroutable', severity: 'error', help: 'An SSM source has no route back on this host.' },
  {
    code: 'output-unroutable',
    severity: 'error',
    help: 'A unicast output destination has no route through its interface.',
  },
  {
    code: 'output-neighbour-unreachable',
    severity: 'error',
    help: 'The next hop of a unicast output is FAILED or INCOMPLETE in the neighbour table: the kernel drops what the relay counts as sent.',
  },
  {
    code: 'input-silent',
    severity: 'warning',
    help: 'The relay is armed and has received nothing for a while (or ever).',
  },
  {
    code: 'analysis-skipped-ebpf',
    severity: 'info',
    help: 'The relay runs on the eBPF datapath, which forwards without reading payloads: analyze auto finds nothing to count there.',
  },
  {
    code: 'relay-disabled',
    severity: 'info',
    help: 'The relay is disabled: it holds nothing on the host, so nothing else is checked.',
  },
]);

/**
 * The IGMP/MLD querier (RFC 2236, 3376, 2710, 3810). The query interval is the operator's
 * (MCR_QUERIER_INTERVAL_S); robustness, the query response interval and the last member query
 * interval are the RFCs' defaults. The response interval is capped at half the query interval,
 * because the RFCs require it to be shorter and short intervals are what tests and labs use.
 */
const querierInterval = /** @type {const} */ ({ min: 1, max: 3600 });
const querier = /** @type {const} */ ({
  intervalS: {
    ...querierInterval,
    default: 125,
    rule: integerRule(querierInterval),
    environment: 'MCR_QUERIER_INTERVAL_S',
  },
  interfaces: { environment: 'MCR_QUERIER_INTERFACES', maxInterfaces: 64 },
  robustness: 2,
  maxResponseMs: 10000,
  lastMemberQueryIntervalMs: 1000,
});

/**
 * File descriptors a relay holds open in the engine: its ingress socket and one socket per output
 * (a one-output relay costs 2). `reserve` is what mcrd itself needs besides (Node, HTTP clients,
 * etcd, the engine's epoll and event descriptors); mcrd warns at start-up when the open-files
 * limit (RLIMIT_NOFILE) cannot hold the configured relays plus the reserve.
 */
const descriptors = /** @type {const} */ ({ perRelay: 1, perOutput: 1, reserve: 256 });

module.exports = {
  nodeName,
  relaySpec,
  requestBody,
  engineOptions,
  counters,
  errors,
  descriptors,
  diagnostics,
  querier,
  integerRule,
};
