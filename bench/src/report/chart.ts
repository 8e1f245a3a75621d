// The max-lossless-rate chart as a hand-written SVG (GitHub renders it inline): one group of bars
// per relay, one bar per payload size, a whisker from the lowest to the highest repeat.
import type { BenchRun, CellResult } from '../results';

const WIDTH = 820;
const HEIGHT = 420;
const MARGIN = { top: 56, right: 24, bottom: 72, left: 84 };
const COLORS = ['#2f6db5', '#e08a1e', '#4a9a5b', '#9b59b6'];

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function formatPps(pps: number): string {
  if (pps >= 1e6) return `${(pps / 1e6).toFixed(pps % 1e6 === 0 ? 0 : 1)}M`;
  if (pps >= 1e3) return `${(pps / 1e3).toFixed(0)}k`;
  return String(Math.round(pps));
}

/** A round axis maximum (1, 2 or 5 times a power of ten) at or above the largest value. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function renderChart(run: BenchRun): string {
  const relays = [...new Map(run.cells.map((c) => [c.relay, c.label])).entries()];
  const sizes = [...new Set(run.cells.map((c) => c.sizeBytes))].sort((a, b) => a - b);
  const cell = (relay: string, size: number): CellResult | undefined =>
    run.cells.find((c) => c.relay === relay && c.sizeBytes === size);
  const top = niceCeiling(Math.max(1, ...run.cells.map((c) => c.maxLosslessPps?.max ?? 0)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (pps: number): number => MARGIN.top + plotH - (pps / top) * plotH;
  const groupW = plotW / Math.max(1, relays.length);
  const barW = (groupW * 0.7) / Math.max(1, sizes.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Max lossless rate (loss &lt; ${run.lossBound * 100}% over ${run.windowS} s windows), one relay core</text>`,
    `<text x="${WIDTH / 2}" y="40" text-anchor="middle" fill="#555">median of repeats; whiskers: lowest to highest; ${escapeXml(run.conditions.cpuModel)}, Linux ${escapeXml(run.conditions.kernel)}</text>`,
  ];
  for (let i = 0; i <= 5; i += 1) {
    const value = (top * i) / 5;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e3e3e3"/>`,
    );
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end">${formatPps(value)}</text>`);
  }
  parts.push(
    `<text transform="translate(20 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">datagrams per second</text>`,
  );
  relays.forEach(([relay, label], g) => {
    const x0 = MARGIN.left + g * groupW + groupW * 0.15;
    sizes.forEach((size, s) => {
      const summary = cell(relay, size)?.maxLosslessPps;
      const x = x0 + s * barW;
      if (!summary) {
        parts.push(`<text x="${x + barW / 2}" y="${y(0) - 4}" text-anchor="middle" fill="#a00">n/a</text>`);
        return;
      }
      const h = y(0) - y(summary.median);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(summary.median).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[s % COLORS.length]}"><title>${escapeXml(label)}, ${size} B: ${summary.median} pps</title></rect>`,
      );
      const cx = (x + (barW - 2) / 2).toFixed(1);
      if (summary.max > summary.min) {
        parts.push(
          `<line x1="${cx}" x2="${cx}" y1="${y(summary.min).toFixed(1)}" y2="${y(summary.max).toFixed(1)}" stroke="#222"/>`,
        );
      }
      parts.push(
        `<text x="${cx}" y="${(y(summary.max) - 4).toFixed(1)}" text-anchor="middle" font-size="10">${formatPps(summary.median)}</text>`,
      );
    });
    parts.push(
      `<text x="${(MARGIN.left + g * groupW + groupW / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="#222"/>`);
  sizes.forEach((size, s) => {
    const lx = MARGIN.left + s * 120;
    parts.push(`<rect x="${lx}" y="${HEIGHT - 28}" width="12" height="12" fill="${COLORS[s % COLORS.length]}"/>`);
    parts.push(`<text x="${lx + 18}" y="${HEIGHT - 18}">${size} B payload</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
