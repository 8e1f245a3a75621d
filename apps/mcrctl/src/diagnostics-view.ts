// Human view of GET /api/v1/diagnostics and /relays/:id/diagnostics: each relay with a finding,
// its findings (severity, code, what is wrong, what to change), then a count of the healthy ones.

export interface FindingView {
  code: string;
  severity: string;
  message: string;
  action: string;
}

export interface RelayDiagnosticsView {
  id: string;
  name: string;
  state: string;
  reason?: string;
  findings: FindingView[];
}

/** An error or a warning: something to change. `info` (a relay disabled on purpose) is not. */
export function needsAction(relay: RelayDiagnosticsView): boolean {
  return relay.findings.some((finding) => finding.severity === 'error' || finding.severity === 'warning');
}

function renderRelay(relay: RelayDiagnosticsView): string {
  const width = Math.max(...relay.findings.map((f) => f.severity.length));
  const lines = relay.findings.flatMap((f) => [
    `  ${f.severity.padEnd(width)}  ${f.code}: ${f.message}`,
    `  ${' '.repeat(width)}  -> ${f.action}`,
  ]);
  return `${relay.name} (${relay.state})\n${lines.join('\n')}\n`;
}

/** Relays sorted by name; those without findings are only counted. */
export function renderDiagnostics(relays: RelayDiagnosticsView[]): string {
  if (relays.length === 0) return 'no relays\n';
  const sorted = [...relays].sort((a, b) => a.name.localeCompare(b.name));
  const withFindings = sorted.filter((relay) => relay.findings.length > 0);
  const healthy = sorted.length - withFindings.length;
  const summary =
    healthy === sorted.length
      ? `${healthy} ${healthy === 1 ? 'relay' : 'relays'} checked, nothing found\n`
      : `${healthy} of ${sorted.length} relays without findings\n`;
  return [...withFindings.map(renderRelay), summary].join('\n');
}
