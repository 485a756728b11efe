// Writes esbuild's in-memory outputs so that a process starting meanwhile (a test, a
// second terminal) never loads a half-written bundle.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes every file beside its final path and renames it into place. `last` (the entry
 * file that imports the others) is renamed after all of them, so whoever loads the new
 * entry finds every chunk it names. Nothing is deleted here: a running process may still
 * load chunks of the build it started from (scripts/build.mjs prunes old ones).
 */
export function writeOutputs(files, last) {
  const ordered = [...files.filter((f) => f.path !== last), ...files.filter((f) => f.path === last)];
  for (const file of ordered) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
}
