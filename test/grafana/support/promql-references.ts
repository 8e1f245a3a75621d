// What a Grafana dashboard's PromQL asks of the exporter: the metric names, the labels each
// selector matches on, the labels it groups or joins by and the labels its legends print.
// Enough PromQL for the dashboards we write; not a full parser.

/** Added by Prometheus when it scrapes, so no exporter shows them. */
export const SCRAPE_LABELS = ['instance', 'job'];

/** Metric name -> label names, read from a Prometheus text exposition (GET /metrics). */
export type Exposition = Map<string, Set<string>>;

export function parseExposition(text: string): Exposition {
  const metrics: Exposition = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s/.exec(line);
    if (match === null) continue;
    const labels = metrics.get(match[1]) ?? new Set<string>();
    for (const [, label] of (match[3] ?? '').matchAll(/([a-zA-Z_]\w*)="/g)) labels.add(label);
    metrics.set(match[1], labels);
  }
  return metrics;
}

export interface Query {
  /** Where it sits in the dashboard, for messages: panel title and refId, or variable name. */
  where: string;
  expr: string;
  legendFormat?: string;
}

interface DashboardJson {
  panels?: {
    title?: string;
    targets?: { refId?: string; expr?: string; legendFormat?: string }[];
    panels?: DashboardJson['panels'];
  }[];
  templating?: { list?: { name: string; type: string; query?: unknown }[] };
}

/** Every PromQL query of a dashboard: panel targets and query variables (label_values included). */
export function queriesOf(dashboard: DashboardJson): Query[] {
  const queries: Query[] = [];
  const visit = (panels: DashboardJson['panels']): void => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (target.expr !== undefined)
          queries.push({
            where: `panel '${panel.title}' ${target.refId}`,
            expr: target.expr,
            legendFormat: target.legendFormat,
          });
      }
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query: string }).query;
    queries.push({ where: `variable $${variable.name}`, expr: query });
  }
  return queries;
}

const METRIC_NAME = /\b(?:mcr|process|nodejs)_[a-z0-9_]+\b/g;

/** What is wrong with `query` against `exported`; empty when every reference is there. */
export function problemsOf(query: Query, exported: Exposition): string[] {
  // Blank out string literals: their content is values, not names.
  const expr = query.expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const metrics = [...new Set(expr.match(METRIC_NAME) ?? [])];
  if (metrics.length === 0) return [`${query.where}: no MCR metric in '${query.expr}'`];
  const problems: string[] = [];
  const missing = metrics.filter((metric) => !exported.has(metric));
  for (const metric of missing) problems.push(`${query.where}: mcrd exports no metric ${metric}`);
  const has = (metric: string, label: string): boolean =>
    SCRAPE_LABELS.includes(label) || (exported.get(metric)?.has(label) ?? false);

  for (const [, metric, body] of expr.matchAll(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g)) {
    for (const [, label] of body.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      if (exported.has(metric) && !has(metric, label))
        problems.push(`${query.where}: ${metric} has no label '${label}'`);
    }
  }
  const grouping = [...expr.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)].flatMap(
    ([, list]) => labelList(list),
  );
  const labelValues = [...expr.matchAll(/label_values\(\s*[^,]+,\s*([a-zA-Z_]\w*)\s*\)/g)].map(([, label]) => label);
  for (const label of [...grouping, ...labelValues]) {
    if (!metrics.some((metric) => has(metric, label)))
      problems.push(`${query.where}: none of ${metrics.join(', ')} has label '${label}'`);
  }
  // A legend can only print labels the aggregation keeps.
  const kept = /\b(?:sum|max|min|avg|count)\s+by\b/.test(expr) ? new Set(grouping) : undefined;
  for (const [, label] of (query.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
    if (kept !== undefined && !kept.has(label))
      problems.push(`${query.where}: legend prints '${label}', which the query aggregates away`);
  }
  return problems;
}

function labelList(list: string): string[] {
  return list
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean);
}
