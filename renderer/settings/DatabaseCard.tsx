/**
 * Settings → Database (SPEC §7): the database in use (a file, or PostgreSQL shown without
 * its password) and, in the desktop app, the one to open from the next launch.
 */
import { useState, type FormEvent } from 'react';
import type { DatabaseStatus } from '../../shared/api';
import { useWaymark } from '../state/store';
import { settingsCommands } from './settings-api';

const SOURCE_TEXT: Record<DatabaseStatus['source'], string> = {
  environment: 'from WAYMARK_DB, which wins over the setting',
  setting: 'from this setting',
  default: 'the default file',
  flag: 'from waymark serve --db',
};

export function DatabaseCard({ status }: { status: DatabaseStatus }) {
  const busy = useWaymark((s) => s.settingsBusy === 'database');
  const [value, setValue] = useState('');
  const submit = async (e: FormEvent, next: string) => {
    e.preventDefault();
    if (await settingsCommands().setDatabase(next)) setValue('');
  };
  return (
    <div className="database-card" data-testid="database-setting">
      <p>
        In use: <code data-testid="database-in-use">{status.inUse}</code> <span className="muted">({SOURCE_TEXT[status.source]})</span>
      </p>
      {status.restartNeeded && <p className="storage-notice">Restart Waymark to open {status.setting ?? 'the default database'}.</p>}
      {status.writable && (
        <form className="key-form" onSubmit={(e) => void submit(e, value)}>
          <input
            type="text"
            autoComplete="off"
            spellCheck={false}
            aria-label="Database file or PostgreSQL URL"
            placeholder={status.setting ?? '/path/to/waymark.db or postgres://user@host:5432/db'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="database-input"
          />
          <button type="submit" className="button small primary" disabled={busy || !value.trim()}>
            Save
          </button>
          {status.setting !== null && (
            <button type="button" className="button small" disabled={busy} onClick={(e) => void submit(e, '')}>
              Use the default
            </button>
          )}
        </form>
      )}
    </div>
  );
}
