/**
 * The environment the engine gives a run: the process environment with the stored
 * provider keys on top (a key entered in Settings wins over an inherited variable).
 * Called by the engine each time a run starts or resumes, so a key saved after a
 * PROVIDER_CONFIG failure is used by the Resume that follows.
 */
import type { KeyStore } from './key-store';

export function keyEnvironment(store: KeyStore, base: NodeJS.ProcessEnv = process.env, onUnreadable?: (names: string[]) => void): () => NodeJS.ProcessEnv {
  return () => {
    let stored: Record<string, string> = {};
    try {
      const { values, unreadable } = store.readAll();
      stored = values;
      if (unreadable.length > 0) onUnreadable?.(unreadable);
    } catch {
      // an unreadable key file is reported by Settings; the run sees the plain environment
    }
    return { ...base, ...stored };
  };
}
