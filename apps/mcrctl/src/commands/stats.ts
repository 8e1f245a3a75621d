// `mcrctl stats [<id|name>] [--watch]`: per-relay counters and rates; --watch redraws once a
// second until interrupted and rides out service restarts (says so, keeps retrying, resumes).
import type { Command, CommandContext } from '../command';
import { ApiError, ServiceUnreachableError } from '../api-client';
import { flagOption } from '../options';
import { resolveRelay } from '../resolve-relay';
import { describeNode, parseStats, renderStats, withLiveRates, type StatsRow } from '../stats-view';
import { sleep } from '../sleep';

const WATCH_INTERVAL_MS = 1000;
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/** A 5xx is the service restarting or degraded: worth waiting for. A 4xx will not change by itself. */
function isTransient(error: unknown): boolean {
  return error instanceof ServiceUnreachableError || (error instanceof ApiError && error.status >= 500);
}

function describe(error: unknown, url: string): string {
  if (error instanceof ServiceUnreachableError) return error.message;
  if (error instanceof ApiError) return `service at ${url} answered ${error.status} ${error.error}: ${error.message}`;
  return String(error);
}

async function statsPath(ctx: CommandContext, ref: string | undefined): Promise<string> {
  if (ref === undefined) return '/api/v1/stats';
  const relay = await resolveRelay(ctx.client, ref);
  return `/api/v1/relays/${encodeURIComponent(relay.id)}/stats`;
}

function drawSample(ctx: CommandContext, body: unknown, rows: StatsRow[]): void {
  const now = new Date();
  if (ctx.json) {
    ctx.out.write(`${JSON.stringify({ at: now.toISOString(), stats: body })}\n`);
    return;
  }
  const node = describeNode(body);
  const header = `${ctx.client.url}  ${node ? `${node}  ` : ''}${now.toLocaleTimeString()}  (Ctrl-C to stop)\n`;
  const table = renderStats(rows, now.getTime());
  ctx.out.write(ctx.interactive ? `${CLEAR_SCREEN}${header}\n${table}` : `${header}${table}\n`);
}

/** Waits for the first successful call: a watch started during a restart just waits too. */
async function retrying<T>(
  ctx: CommandContext,
  reportOutage: (message: string) => void,
  call: () => Promise<T>,
): Promise<T | undefined> {
  while (!ctx.signal.aborted) {
    try {
      return await call();
    } catch (error) {
      if (ctx.signal.aborted) return undefined;
      if (!isTransient(error)) throw error;
      reportOutage(describe(error, ctx.client.url));
      await sleep(WATCH_INTERVAL_MS, ctx.signal);
    }
  }
  return undefined;
}

async function watchStats(ctx: CommandContext, ref: string | undefined): Promise<void> {
  let outage: string | undefined;
  const reportOutage = (message: string): void => {
    // A terminal shows the current state each second; a pipe gets one line per change.
    if (ctx.interactive || message !== outage) ctx.err.write(`${message} (retrying)\n`);
    outage = message;
  };
  const path = await retrying(ctx, reportOutage, () => statsPath(ctx, ref));
  let previous: { rows: StatsRow[]; atMs: number } | undefined;
  while (path !== undefined && !ctx.signal.aborted) {
    const startedMs = performance.now();
    const body = await retrying(ctx, reportOutage, () => ctx.client.getJson<unknown>(path));
    if (body === undefined) break;
    if (outage !== undefined) {
      ctx.err.write(`service at ${ctx.client.url} is back\n`);
      outage = undefined;
    }
    const atMs = performance.now();
    const rows = withLiveRates(parseStats(body), previous?.rows, previous ? atMs - previous.atMs : 0);
    drawSample(ctx, body, rows);
    previous = { rows: parseStats(body), atMs };
    await sleep(Math.max(0, WATCH_INTERVAL_MS - (performance.now() - startedMs)), ctx.signal);
  }
}

export const statsCommand: Command = {
  name: 'stats',
  synopsis: 'stats [<id|name>] [--watch]',
  summary: 'Show packet counters and rates of all relays, or of one',
  optionHelp: [
    '--watch                redraw once a second (packets/s, Mbit/s, drops) until Ctrl-C;',
    '                       keeps retrying while the service is unreachable',
  ],
  examples: [
    'mcrctl stats',
    'mcrctl stats market-feed-a --watch',
    'mcrctl stats --watch --json  # one JSON line per second',
  ],
  options: { watch: { type: 'boolean', short: 'w' } },
  positionals: { min: 0, max: 1, names: '[<id|name>]' },
  async run(ctx, { values, positionals }) {
    if (flagOption(values, 'watch')) {
      await watchStats(ctx, positionals[0]);
      return;
    }
    const body = await ctx.client.getJson<unknown>(await statsPath(ctx, positionals[0]));
    if (ctx.json) {
      ctx.out.write(`${JSON.stringify(body, null, 2)}\n`);
      return;
    }
    const node = describeNode(body);
    ctx.out.write(`${node ? `${node}\n\n` : ''}${renderStats(parseStats(body), Date.now())}`);
  },
};
