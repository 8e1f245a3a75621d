// Enable or disable one relay, confirmed first (see api/actions.ts for how without PATCH).
import { setRelayEnabled } from '../api/actions';
import { ConfirmButton, type Outcome } from './confirm-button';

export function EnableToggle({
  id,
  name,
  enabled,
  onDone,
}: {
  id: string;
  name: string;
  enabled: boolean;
  onDone: (outcome: Outcome) => void;
}) {
  const verb = enabled ? 'Disable' : 'Enable';
  return (
    <ConfirmButton
      label={`${verb} ${name}`}
      question={
        enabled
          ? `Disable relay ${name}? It stops forwarding on every node until enabled again.`
          : `Enable relay ${name}? It starts forwarding again.`
      }
      confirmLabel={verb}
      danger={enabled}
      action={async () => {
        const relay = await setRelayEnabled(id, !enabled);
        return `relay ${relay.name} ${relay.enabled ? 'enabled' : 'disabled'} (revision ${relay.revision})`;
      }}
      onDone={onDone}
    />
  );
}
