// Every action of the dashboard goes through this button: it asks first in a modal dialog
// (Escape or Cancel backs out, focus starts on Cancel), then runs the action and reports.
import { useRef, useState } from 'preact/hooks';

export interface ConfirmButtonProps {
  label: string;
  /** The question, naming what will change, e.g. "Disable relay feed-a? It stops forwarding." */
  question: string;
  confirmLabel: string;
  action: () => Promise<string>;
  onDone: (outcome: Outcome) => void;
  danger?: boolean;
}

export interface Outcome {
  ok: boolean;
  message: string;
}

export function ConfirmButton({ label, question, confirmLabel, action, onDone, danger = false }: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);

  const confirm = async (): Promise<void> => {
    dialog.current?.close();
    setBusy(true);
    try {
      onDone({ ok: true, message: await action() });
    } catch (error) {
      onDone({ ok: false, message: `${label} failed: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class={danger ? 'danger' : ''} disabled={busy} onClick={() => dialog.current?.showModal()}>
        {busy ? `${label}…` : label}
      </button>
      <dialog ref={dialog} class="confirm" aria-label={label}>
        <p>{question}</p>
        <form method="dialog" class="buttons">
          <button type="submit" autofocus>
            Cancel
          </button>
          <button type="button" class={danger ? 'danger' : 'primary'} onClick={() => void confirm()}>
            {confirmLabel}
          </button>
        </form>
      </dialog>
    </>
  );
}
