// Where the operator enters the API token; it is kept for this tab only (see api/token.ts).
import { useState } from 'preact/hooks';
import { readToken, saveToken } from '../api/token';

export function TokenForm({ onChange }: { onChange: () => void }) {
  const [value, setValue] = useState(readToken());
  const [saved, setSaved] = useState(readToken() !== '');
  return (
    <form
      class="token"
      onSubmit={(event) => {
        event.preventDefault();
        saveToken(value.trim());
        setSaved(value.trim() !== '');
        onChange();
      }}
    >
      <label for="api-token">API token</label>
      <input
        id="api-token"
        type="password"
        autocomplete="off"
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <button type="submit">{saved ? 'Update' : 'Use'}</button>
      <span class="hint">{saved ? 'kept for this tab' : 'needed for actions when mcrd has MCR_API_TOKEN'}</span>
    </form>
  );
}
