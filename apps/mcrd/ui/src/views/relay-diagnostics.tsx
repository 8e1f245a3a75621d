// What on this host keeps a relay from forwarding (GET /api/v1/relays/{id}/diagnostics): each
// finding with its severity, what is wrong and what to change — the same checks as `mcrctl diag`.
import type { DiagnosticFinding, RelayDiagnostics } from '../api/types';
import { usePolling } from '../state/use-polling';

/** The host checks read /proc and run `ip`: every few seconds is plenty for a page left open. */
const DIAGNOSTICS_POLL_MS = 5000;

export function DiagnosticsPanel({ path }: { path: string }) {
  const diagnostics = usePolling<RelayDiagnostics>(`${path}/diagnostics`, DIAGNOSTICS_POLL_MS);
  return (
    <section aria-labelledby="diagnostics-title" class="diagnostics">
      <h3 id="diagnostics-title">Diagnostics</h3>
      {diagnostics.data === undefined ? (
        <p role="status">{diagnostics.error ?? 'Checking…'}</p>
      ) : diagnostics.data.findings.length === 0 ? (
        <p>Nothing found: no check on this host stands in the relay's way.</p>
      ) : (
        <ul>
          {diagnostics.data.findings.map((finding) => (
            <FindingItem finding={finding} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FindingItem({ finding }: { finding: DiagnosticFinding }) {
  return (
    <li data-code={finding.code}>
      <span class={`badge severity-${finding.severity}`}>{finding.severity}</span> <code>{finding.code}</code>:{' '}
      {finding.message}
      <br />
      <span class="action">→ {finding.action}</span>
    </li>
  );
}
