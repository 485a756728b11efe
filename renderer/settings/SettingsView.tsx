/**
 * Settings (SPEC §5): where provider API keys come from, and, where the OS can protect
 * them, setting and clearing them. Key values are typed into password boxes and sent
 * once; nothing ever displays one.
 */
import { useEffect, type ReactNode } from 'react';
import type { SettingsStatus } from '../../shared/api';
import { useWaymark } from '../state/store';
import { DatabaseCard } from './DatabaseCard';
import { AddKeyForm, KeyRow } from './KeyRow';
import { NotificationsCard } from './NotificationsCard';
import { settingsCommands } from './settings-api';
import '../styles/settings.css';

const STORAGE_TEXT: Record<SettingsStatus['storage'], { title: string; body: ReactNode }> = {
  encrypted: {
    title: 'Keys are encrypted with the OS keychain',
    body: 'Stored keys are encrypted on this computer and used when a phase calls its provider. They are never written to flow files, transcripts or logs.',
  },
  unavailable: { title: 'Keys cannot be stored securely here', body: 'No OS keychain is available, so keys are not stored: they come from environment variables.' },
  environment: {
    title: 'Read-only: keys come from the server’s environment',
    body: 'Keys cannot be set or cleared from this page.',
  },
};

export function SettingsView() {
  const status = useWaymark((s) => s.settings);
  const error = useWaymark((s) => s.settingsError);
  const dismiss = useWaymark((s) => s.setSettingsError);
  useEffect(() => {
    void settingsCommands().load();
  }, []);
  return (
    <section className="settings" data-testid="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <h2>Provider API keys</h2>
      {error && (
        <p className="inline-error settings-error" role="alert">
          {error}{' '}
          <button type="button" className="button ghost small" onClick={() => dismiss(null)} aria-label="Dismiss">
            ✕
          </button>
        </p>
      )}
      {!status ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <div className={`storage-card storage-${status.storage}`} data-testid="storage-state" data-storage={status.storage} data-writable={String(status.writable)}>
            <span className="storage-icon" aria-hidden="true">
              {status.storage === 'encrypted' ? '✓' : status.storage === 'environment' ? 'i' : '!'}
            </span>
            <div>
              <strong>{STORAGE_TEXT[status.storage].title}</strong>
              {status.backend && <span className="muted"> ({status.backend})</span>}
              <p>{STORAGE_TEXT[status.storage].body}</p>
              {status.notice && (
                <p className="storage-notice" data-testid="storage-notice">
                  {withCode(status.notice)}
                </p>
              )}
            </div>
          </div>
          <table className="keys-table" data-testid="keys-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Source</th>
                {status.writable && <th scope="col" className="actions-col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {status.keys.map((key) => (
                <KeyRow key={key.name} status={key} writable={status.writable} />
              ))}
            </tbody>
          </table>
          {status.writable && <AddKeyForm known={status.keys.map((k) => k.name)} />}
          {status.database && (
            <>
              <h2>Database</h2>
              <DatabaseCard status={status.database} />
            </>
          )}
        </>
      )}
      <section className="settings-section" aria-labelledby="notifications-title">
        <h2 id="notifications-title">Notifications</h2>
        <NotificationsCard />
      </section>
    </section>
  );
}

/** The server's notices quote commands in `backticks`: shown as code. */
function withCode(text: string): ReactNode[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}
