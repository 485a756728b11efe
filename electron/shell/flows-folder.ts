/**
 * The folder the desktop app lists and opens flows from (the API's FlowRoot):
 * `--root DIR` on the command line, else WAYMARK_FLOWS, else — in development — the
 * folder `npm start` ran in, else ~/Documents/Waymark (created on first launch).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface FlowsFolderInput {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  isPackaged: boolean;
  cwd: string;
  documentsDir: string;
}

export function flowsFolder(input: FlowsFolderInput): string {
  const flag = rootFlag(input.argv);
  if (flag) return resolve(input.cwd, flag);
  if (input.env.WAYMARK_FLOWS) return resolve(input.cwd, input.env.WAYMARK_FLOWS);
  if (!input.isPackaged) return input.cwd;
  const dir = join(input.documentsDir, 'Waymark');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function rootFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--root') return argv[i + 1];
    if (arg.startsWith('--root=')) return arg.slice('--root='.length);
  }
  return undefined;
}
