/**
 * PostgreSQL URLs as Waymark shows them: never with a password. Every message that
 * names a server goes through `redactUrl`, and `scrubSecrets` removes a password from
 * text we did not write (a driver's error) before it reaches a user or a log.
 */

/** True for the URLs that select the PostgreSQL store: `postgres://` and `postgresql://`. */
export function isDatabaseUrl(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target.trim());
}

/** Query parameters that can carry a secret (libpq's `password`, `sslpassword`, ...). */
const SECRET_PARAM = /pass|secret|token|key/i;

/**
 * `postgres://user@host:port/db`, with the password and secret-bearing query parameters
 * removed. A string that does not parse as a URL is not echoed back at all.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<unparseable PostgreSQL URL>';
  }
  const user = parsed.username ? `${parsed.username}@` : '';
  const port = parsed.port ? `:${parsed.port}` : '';
  const kept = [...parsed.searchParams].filter(([name]) => !SECRET_PARAM.test(name));
  const query = kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : '';
  return `${parsed.protocol}//${user}${parsed.hostname}${port}${parsed.pathname}${query}`;
}

/** The secrets a URL carries, as they may appear in text (raw and percent-decoded). */
function secretsOf(url: string): string[] {
  const found = new Set<string>();
  try {
    const parsed = new URL(url);
    if (parsed.password) found.add(parsed.password);
    for (const [name, value] of parsed.searchParams) if (SECRET_PARAM.test(name) && value) found.add(value);
  } catch {
    // Unparseable: the whole string is treated as secret below.
  }
  for (const secret of [...found]) {
    try {
      found.add(decodeURIComponent(secret));
    } catch {
      // Not percent-encoded: the raw form is enough.
    }
  }
  return [...found];
}

/** `text` with the URL itself and every secret in it replaced by their redacted forms. */
export function scrubSecrets(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  for (const secret of secretsOf(url)) out = out.split(secret).join('***');
  return out;
}
