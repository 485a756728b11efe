/**
 * A small JSON file only its user may read (mode 0600), replaced atomically (write a
 * temporary file, then rename), so a crash mid-write never leaves half a file.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WaymarkError } from '../../shared/errors';

/** Writes `data` to `file`; throws STORE_FAILED naming `what` ("the settings file"). */
export function writePrivateJson(file: string, data: unknown, what: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new WaymarkError('STORE_FAILED', `could not save ${what} ${file}: ${(err as Error).message}`);
  }
}
