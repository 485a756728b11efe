/**
 * Links the app may hand to the OS browser: absolute `https:` URLs without credentials.
 * Anything else (file:, javascript:, custom schemes that launch programs, smb: paths)
 * is dropped, since `shell.openExternal` would pass it to the OS as is.
 */
import type { Shell } from 'electron';

const MAX_URL_LENGTH = 2048;

/** The normalised URL when it is safe to open externally, otherwise null. */
export function externalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url.href;
}

/**
 * Opens `raw` in the OS browser when `externalUrl` allows it; true when it did. The only
 * call of `shell.openExternal` in the app, right after the validation.
 */
export function openExternalLink(raw: unknown, shell: Pick<Shell, 'openExternal'>, log: (line: string) => void): boolean {
  const url = externalUrl(raw);
  if (url === null) return false;
  shell.openExternal(url).catch((err: unknown) => log(`could not open ${url} in the browser: ${err instanceof Error ? err.message : String(err)}`));
  return true;
}
