// A time-series line drawn by uPlot: a bare sparkline in the relays table, or a chart with
// axes on a relay's page. uPlot draws on a canvas and updates in place, so a hundred rows
// redrawing every second stay cheap.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface SparklineProps {
  times: number[];
  values: number[];
  /** Said to screen readers and shown as a tooltip, e.g. "input datagrams/s, last 5 minutes". */
  label: string;
  width: number;
  height: number;
  /** Axes and grid: for the larger chart on a relay's page. */
  axes?: boolean;
  formatValue?: (value: number) => string;
}

export function Sparkline({ times, values, label, width, height, axes = false, formatValue }: SparklineProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    if (container.current === null) return undefined;
    chart.current = new uPlot(chartOptions(width, height, axes, formatValue), [times, values], container.current);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [width, height, axes]);

  // The history arrays grow and shift in place, so redraw on every render (one cheap canvas pass).
  useEffect(() => {
    chart.current?.setData([times, values]);
  });

  return <div class="sparkline" ref={container} role="img" aria-label={label} title={label} />;
}

function chartOptions(
  width: number,
  height: number,
  axes: boolean,
  formatValue?: (value: number) => string,
): uPlot.Options {
  // A canvas does not resolve CSS variables, so read the stylesheet's chart colours once here.
  const css = getComputedStyle(document.documentElement);
  const line: uPlot.Series = {
    stroke: css.getPropertyValue('--chart-line').trim(),
    fill: css.getPropertyValue('--chart-fill').trim(),
    width: 1.5,
    points: { show: false },
  };
  if (!axes) {
    return {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [{}, line],
    };
  }
  return {
    width,
    height,
    legend: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      {},
      {
        size: 80,
        values: (_u, ticks) => ticks.map((tick) => (formatValue === undefined ? String(tick) : formatValue(tick))),
      },
    ],
    series: [{}, line],
  };
}
