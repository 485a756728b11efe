/**
 * App-wide messages: the connection (while the socket reconnects, or when the server
 * refused this tab's token after a restart with a new one), store failures
 * (`store.failed`: the run goes on, but something was not saved) and refused actions.
 * They overlay the top of the window, so showing one never shifts the layout.
 */
import { TOKEN_REFUSED } from '../../../shared/ws-protocol';
import type { ConnectionState } from '../../state/banners-slice';
import { useWaymark } from '../../state/store';

export function Banners() {
  const connection = useWaymark((s) => s.connection);
  const notices = useWaymark((s) => s.notices);
  const dismiss = useWaymark((s) => s.dismissNotice);
  return (
    <div className="banners" aria-live="polite">
      <ConnectionBanner connection={connection} />
      {notices.map((n) => (
        <div key={n.id} className={`banner ${n.kind === 'store-failed' ? 'banner-error' : 'banner-warning'}`} role="alert" data-testid={n.kind === 'store-failed' ? 'store-failed-banner' : 'action-failed-banner'}>
          <span>
            {n.kind === 'store-failed' ? <strong>Not saved{n.runId ? ` (run ${n.runId})` : ''}: </strong> : null}
            {n.message}
            {n.kind === 'store-failed' ? ' The run goes on, but this progress may be lost if it stops.' : ''}
          </span>
          <button type="button" className="button ghost small" onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

/** The connection, when it is not simply open: lost (reconnecting), closed, or refused for its token. */
function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  if (connection === 'refused') {
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-banner" data-connection="refused">
        <span>
          <strong>{TOKEN_REFUSED.title}. </strong>
          {TOKEN_REFUSED.what} {TOKEN_REFUSED.fix}
        </span>
      </div>
    );
  }
  if (connection !== 'reconnecting' && connection !== 'closed') return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="connection-banner" data-connection={connection}>
      {connection === 'reconnecting' ? 'Connection to Waymark lost. Reconnecting…' : 'Disconnected from Waymark. Reload the page to reconnect.'}
    </div>
  );
}
