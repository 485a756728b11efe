/** One provider key: where its value comes from, and (where keys can be stored) set or clear it. */
import { useState, type FormEvent } from 'react';
import { SecretName, type KeyStatus } from '../../shared/api';
import { useWaymark } from '../state/store';
import { settingsCommands } from './settings-api';

const SOURCE_TEXT: Record<KeyStatus['source'], string> = {
  stored: 'Stored (encrypted)',
  environment: 'From the environment',
  missing: 'Not set',
  unreadable: 'Stored, but cannot be decrypted: set it again',
};

export function KeyRow({ status, writable }: { status: KeyStatus; writable: boolean }) {
  const busy = useWaymark((s) => s.settingsBusy === status.name);
  const [editing, setEditing] = useState(false);
  const note = status.source === 'stored' && status.inEnvironment ? ' · also in the environment (the stored key wins)' : '';
  return (
    <tr data-testid={`key-${status.name}`} data-source={status.source}>
      <th scope="row">
        <code>{status.name}</code>
      </th>
      <td>
        <span className={`key-source source-${status.source}`}>{SOURCE_TEXT[status.source]}</span>
        <span className="muted">{note}</span>
      </td>
      {writable && (
        <td className="actions-col">
          {editing ? (
            <KeyValueForm name={status.name} onDone={() => setEditing(false)} />
          ) : (
            <div className="key-actions">
              <button type="button" className="button small" onClick={() => setEditing(true)} disabled={busy} data-testid={`set-${status.name}`}>
                {status.source === 'stored' ? 'Replace…' : 'Set…'}
              </button>
              {(status.source === 'stored' || status.source === 'unreadable') && (
                <button type="button" className="button small danger" onClick={() => void settingsCommands().clearKey(status.name)} disabled={busy} data-testid={`clear-${status.name}`}>
                  Clear
                </button>
              )}
            </div>
          )}
        </td>
      )}
    </tr>
  );
}

/** A password box: the value is sent once and the box emptied; it is never shown. */
function KeyValueForm({ name, onDone }: { name: string; onDone: () => void }) {
  const [value, setValue] = useState('');
  const busy = useWaymark((s) => s.settingsBusy === name);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    const stored = await settingsCommands().setKey(name, value);
    setValue('');
    if (stored) onDone();
  };
  return (
    <form className="key-form" onSubmit={(e) => void submit(e)}>
      <input type="password" autoComplete="off" aria-label={`Value of ${name}`} placeholder="Paste the key" value={value} onChange={(e) => setValue(e.target.value)} autoFocus data-testid={`value-${name}`} />
      <button type="submit" className="button small primary" disabled={busy || !value.trim()}>
        Save
      </button>
      <button type="button" className="button small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** A key under another name (a flow's `api_key_env`), checked with the API's own rule. */
export function AddKeyForm({ known }: { known: string[] }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = SecretName.safeParse(name.trim());
    if (!checked.success) return setError(checked.error.issues[0]?.message ?? 'not a valid name');
    if (known.includes(checked.data)) return setError(`${checked.data} is listed above: use its Set button.`);
    setError(null);
    if (await settingsCommands().setKey(checked.data, value)) setName('');
    setValue('');
  };
  return (
    <form className="add-key" onSubmit={(e) => void submit(e)} aria-label="Add another key">
      <h3>Another key</h3>
      <p className="muted">For a flow provider’s <code>api_key_env</code>.</p>
      <div className="add-key-row">
        <input type="text" aria-label="Key name" placeholder="MY_PROVIDER_API_KEY" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
        <input type="password" aria-label="Key value" autoComplete="off" placeholder="Value" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" className="button primary small" disabled={!name.trim() || !value.trim()}>
          Store
        </button>
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
