// Reads the service's per-relay counters (GET /api/v1/stats or /relays/:id/stats) into one row
// per relay, computes live rates from two samples, and renders the stats table.
import { formatAge, formatCount, formatMbit, formatPacketRate, toNumber } from './format';
import { renderTable } from './table';

/** One relay's counters as mcrctl shows them; undefined = the service did not report it. */
export interface StatsRow {
  id: string;
  name: string;
  /** What the node does with the relay: forwarding, standby, waiting, disabled, failed, pending. */
  state?: string;
  /** Why the relay is not forwarding: failed on this node, or waiting for an interface. */
  reason?: string;
  /** The relay's interfaces that are down or gone on this node (state waiting). */
  interfacesDown?: string[];
  /** Who forwards the relay on this node: socket (worker threads) or ebpf (the tc program). */
  datapath?: string;
  /** Why the relay runs on sockets although eBPF was asked for. */
  datapathReason?: string;
  packetsIn?: number;
  bytesIn?: number;
  /** Kernel receive-queue drops plus truncated datagrams: packets the relay lost. */
  drops?: number;
  packetsOut?: number;
  sendErrors?: number;
  packetsPerSecond?: number;
  bitsPerSecond?: number;
  lastPacketAt?: number | null;
  /** Stream analysis of the relay's input (analyze not off); undefined when not reported. */
  analysis?: AnalysisRow;
  /** Input legs of a redundant relay (a = input, b = redundancy.input); absent for a plain relay. */
  legs?: LegRow[];
  /** Failover mode: the leg being forwarded. */
  activeLeg?: string;
}

/** What the analysis of the input saw: RTP sequence and jitter, MPEG-TS continuity. */
export interface AnalysisRow {
  rtpLost?: number;
  rtpReordered?: number;
  rtpDuplicates?: number;
  rtpJitterUs?: number;
  tsContinuityErrors?: number;
}

/** One leg of a redundant relay. */
export interface LegRow {
  leg: string;
  received?: number;
  forwarded?: number;
  duplicates?: number;
  tooLate?: number;
  onlyThisLeg?: number;
  inactive?: number;
  silentForMs?: number | null;
  /** Stream analysis of the leg; undefined when not reported. */
  analysis?: AnalysisRow;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The first of several dotted paths that holds a number (names differ between versions). */
function pick(record: Json, ...paths: string[]): number | undefined {
  for (const path of paths) {
    let value: unknown = record;
    for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
    const number = toNumber(value);
    if (number !== undefined) return number;
  }
  return undefined;
}

function sum(values: Array<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0);
}

/** ISO 8601 strings (the service's format) or epoch milliseconds; null = never. */
function toTime(value: unknown): number | null | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toRow(record: Json): StatsRow {
  const outputs = Array.isArray(record.outputs) ? record.outputs.filter(isObject) : [];
  return {
    id: String(record.id ?? record.relayId ?? '?'),
    name: String(record.name ?? record.id ?? '?'),
    state: optionalString(record.state),
    reason: optionalString(record.reason),
    interfacesDown: Array.isArray(record.interfacesDown) ? record.interfacesDown.map(String) : undefined,
    datapath: optionalString(record.datapath),
    datapathReason: optionalString(record.datapathReason),
    packetsIn: pick(record, 'packetsIn', 'packetsReceived', 'received.packets'),
    bytesIn: pick(record, 'bytesIn', 'bytesReceived', 'received.bytes'),
    drops: sum([pick(record, 'drops.rxqOverflow', 'rxqDrops'), pick(record, 'drops.truncated', 'truncated')]),
    packetsOut: sum(outputs.map((o) => pick(o, 'packets', 'packetsSent', 'packetsForwarded'))),
    sendErrors: sum(outputs.map((o) => pick(o, 'sendErrors'))),
    packetsPerSecond: pick(record, 'packetsInPerSecond', 'packetsPerSecond'),
    bitsPerSecond: pick(record, 'bitsInPerSecond', 'bitsPerSecond'),
    lastPacketAt: toTime(record.lastPacketAt),
    analysis: analysisOf(record),
    ...legsOf(record),
  };
}

/** The relay's own analysis fields (`rtpLost` ...), or a leg's (`prefix` 'leg': `legRtpLost` ...). */
function analysisOf(record: Json, prefix = ''): AnalysisRow | undefined {
  const field = (name: string) => (prefix === '' ? name : `${prefix}${name[0].toUpperCase()}${name.slice(1)}`);
  const analysis: AnalysisRow = {
    rtpLost: pick(record, field('rtpLost')),
    rtpReordered: pick(record, field('rtpReordered')),
    rtpDuplicates: pick(record, field('rtpDuplicates')),
    rtpJitterUs: pick(record, field('rtpJitterUs')),
    tsContinuityErrors: pick(record, field('tsContinuityErrors')),
  };
  return Object.values(analysis).some((value) => value !== undefined) ? analysis : undefined;
}

function legsOf(record: Json): Pick<StatsRow, 'legs' | 'activeLeg'> {
  const legs = Array.isArray(record.legs) ? record.legs.filter(isObject) : [];
  if (legs.length === 0) return {};
  return {
    legs: legs.map((leg) => ({
      leg: String(leg.leg ?? '?'),
      received: pick(leg, 'legPackets'),
      forwarded: pick(leg, 'firstCopies'),
      duplicates: pick(leg, 'duplicates'),
      tooLate: pick(leg, 'tooLate'),
      onlyThisLeg: pick(leg, 'onlyThisLeg'),
      inactive: pick(leg, 'inactiveLeg'),
      silentForMs: leg.silentForMs === null ? null : pick(leg, 'silentForMs'),
      analysis: analysisOf(leg, 'leg'),
    })),
    activeLeg: optionalString(record.activeLeg),
  };
}

/** Accepts a list, `{ relays: [...] }`, or one relay's stats object. */
export function parseStats(body: unknown): StatsRow[] {
  if (Array.isArray(body)) return body.filter(isObject).map(toRow);
  if (isObject(body) && Array.isArray(body.relays)) return body.relays.filter(isObject).map(toRow);
  if (isObject(body)) return [toRow(body)];
  return [];
}

/**
 * Rates over the interval between two samples; a relay that is new or whose counters went
 * backwards (re-created, service restarted) keeps the service's own rate instead.
 */
export function withLiveRates(current: StatsRow[], previous: StatsRow[] | undefined, intervalMs: number): StatsRow[] {
  if (previous === undefined || intervalMs <= 0) return current;
  const before = new Map(previous.map((row) => [row.id, row]));
  return current.map((row) => {
    const old = before.get(row.id);
    if (old === undefined) return row;
    const packets = delta(row.packetsIn, old.packetsIn);
    const bytes = delta(row.bytesIn, old.bytesIn);
    if (packets === undefined || bytes === undefined) return row;
    const seconds = intervalMs / 1000;
    return { ...row, packetsPerSecond: packets / seconds, bitsPerSecond: (bytes * 8) / seconds };
  });
}

function delta(now: number | undefined, before: number | undefined): number | undefined {
  if (now === undefined || before === undefined || now < before) return undefined;
  return now - before;
}

export function renderStats(rows: StatsRow[], nowMs: number): string {
  if (rows.length === 0) return 'no relays\n';
  const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name));
  const reasons = sorted
    .flatMap((row) => [
      ...(row.reason === undefined ? [] : [`${row.name}: ${reasonLine(row)}\n`]),
      ...(row.datapathReason === undefined ? [] : [`${row.name}: on sockets: ${row.datapathReason}\n`]),
    ])
    .join('');
  const table = renderTable(
    [
      { header: 'NAME' },
      { header: 'STATE' },
      { header: 'DATAPATH' },
      { header: 'PACKETS IN', align: 'right' },
      { header: 'PKT/S', align: 'right' },
      { header: 'MBIT/S', align: 'right' },
      { header: 'DROPS', align: 'right' },
      { header: 'PACKETS OUT', align: 'right' },
      { header: 'SEND ERR', align: 'right' },
      { header: 'LAST PACKET' },
    ],
    sorted.map((row) => [
      row.name,
      row.state ?? '-',
      row.datapath ?? '-',
      formatCount(row.packetsIn),
      formatPacketRate(row.packetsPerSecond),
      formatMbit(row.bitsPerSecond),
      formatCount(row.drops),
      formatCount(row.packetsOut),
      formatCount(row.sendErrors),
      row.lastPacketAt === undefined ? '-' : formatAge(row.lastPacketAt, nowMs),
    ]),
  );
  const analysis = sorted
    .flatMap((row) =>
      row.legs === undefined
        ? [analysisLine(`${row.name} input`, row.analysis)]
        : row.legs.map((leg) => analysisLine(`${row.name} leg ${leg.leg}`, leg.analysis)),
    )
    .join('');
  const legs = sorted.flatMap((row) => (row.legs ?? []).map((leg) => legLine(row, leg))).join('');
  return [table, reasons, analysis, legs].filter((part) => part !== '').join('\n');
}

/**
 * "feed input: RTP lost 12, reordered 0, duplicates 0, jitter 850 us; TS continuity errors 0"
 * (a redundant relay: one line per leg), only where the analysis saw something (all zero:
 * nothing recognised, or analyze off).
 */
function analysisLine(subject: string, a: AnalysisRow | undefined): string {
  if (a === undefined || !Object.values(a).some((value) => value !== undefined && value !== 0)) return '';
  const rtp = [
    `RTP lost ${formatCount(a.rtpLost)}`,
    `reordered ${formatCount(a.rtpReordered)}`,
    `duplicates ${formatCount(a.rtpDuplicates)}`,
    `jitter ${formatCount(a.rtpJitterUs)} us`,
  ];
  return `${subject}: ${rtp.join(', ')}; TS continuity errors ${formatCount(a.tsContinuityErrors)}\n`;
}

/** "feed-ab leg a (active): received 1.2k, first copies 600, duplicates 600, too late 0, ..." */
function legLine(row: StatsRow, leg: LegRow): string {
  const active = row.activeLeg === leg.leg ? ' (active)' : '';
  const silent =
    leg.silentForMs === null || leg.silentForMs === undefined ? 'never received' : `silent ${leg.silentForMs} ms`;
  const counts = [
    `received ${formatCount(leg.received)}`,
    `first copies ${formatCount(leg.forwarded)}`,
    `duplicates ${formatCount(leg.duplicates)}`,
    `too late ${formatCount(leg.tooLate)}`,
    `only this leg ${formatCount(leg.onlyThisLeg)}`,
    `inactive ${formatCount(leg.inactive)}`,
  ];
  return `${row.name} leg ${leg.leg}${active}: ${counts.join(', ')}; ${silent}\n`;
}

/** "waiting for interface eth1 ..." already says its state; "failed" needs saying. */
export function reasonLine(row: Pick<StatsRow, 'state' | 'reason'>): string {
  const state = row.state ?? 'failed';
  return row.reason?.startsWith(state) ? row.reason : `${state}: ${row.reason}`;
}

/** What the node does with one relay, and why when it is not forwarding. */
export type NodeStatus = Pick<StatsRow, 'state' | 'reason'>;

/** Status of each relay by id, for views (such as `list` and `get`) that show the node's state. */
export function statusesById(rows: StatsRow[]): Map<string, NodeStatus> {
  return new Map(
    rows.filter((row) => row.state !== undefined).map((row) => [row.id, { state: row.state, reason: row.reason }]),
  );
}

/** "node relay-a (active)" from GET /api/v1/stats, so a watch shows which node it is looking at. */
export function describeNode(body: unknown): string | undefined {
  if (!isObject(body) || typeof body.nodeId !== 'string') return undefined;
  return typeof body.role === 'string' ? `node ${body.nodeId} (${body.role})` : `node ${body.nodeId}`;
}
