/**
 * The desktop app's log: one line per notable thing (startup, reaped runs, refused IPC,
 * quit timing, internal errors) appended to `main.log` in the OS log folder, and echoed to
 * stderr. It never receives request payloads, so no API key or flow content reaches it.
 * At 5 MB the file is rotated once (main.old.log).
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_FILE = 'main.log';
const MAX_BYTES = 5 * 1024 * 1024;

export type Log = (line: string) => void;

export function createLog(dir: string, echo: (text: string) => void = echoToStderr): Log {
  const file = join(dir, LOG_FILE);
  let broken = false;
  try {
    mkdirSync(dir, { recursive: true });
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, join(dir, 'main.old.log'));
  } catch {
    broken = true;
  }
  return (line) => {
    const text = `${new Date().toISOString()} ${line.replace(/\r?\n/g, ' | ')}\n`;
    try {
      echo(text);
    } catch {
      // no terminal attached
    }
    if (broken) return;
    try {
      appendFileSync(file, text);
    } catch {
      broken = true; // a full disk must not take the app down; stderr still has it
    }
  };
}

let stderrGuarded = false;

/** stderr may be a closed pipe (an app started from the dock): its errors must not crash the app. */
function echoToStderr(text: string): void {
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on('error', () => {});
  }
  process.stderr.write(text);
}
