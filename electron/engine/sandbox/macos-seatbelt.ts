/**
 * The macOS sandbox: `sandbox-exec -p PROFILE` with the system's Seatbelt. Paths travel
 * as `-D` parameters, never pasted into the profile, so no path can change its syntax.
 *
 * Policy (in SBPL the last matching rule wins, so exceptions follow the rule they relax):
 * writes only to the workspace, the temp folder and a few devices; no network unless the
 * phase allows it; the hidden paths unreadable except the workspace inside them; process
 * information (including other processes' environment through kern.procargs2) only about
 * processes in the same sandbox. Not exercised by the test suite (Linux CI); keep it small.
 */
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Mask, MaskPlan } from './hidden-paths';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

export interface SeatbeltPlan {
  workspace: string;
  network: boolean;
  masks: MaskPlan;
}

export function seatbeltArgv(plan: SeatbeltPlan): string[] {
  const params: string[] = [`WORKSPACE=${plan.workspace}`, `TMP=${realpathSync(tmpdir())}`];
  const hide = (masks: Mask[]) =>
    masks.map((mask) => {
      const name = `HIDDEN_${params.length}`;
      params.push(`${name}=${mask.path}`);
      return `(${mask.dir ? 'subpath' : 'literal'} (param "${name}"))`;
    });
  const around = hide(plan.masks.around);
  const inside = hide(plan.masks.inside);
  const profile = [
    '(version 1)',
    '(allow default)',
    ...(plan.network ? [] : ['(deny network*)']),
    '(deny file-write*)',
    '(allow file-write* (subpath (param "WORKSPACE")) (subpath (param "TMP")) (subpath "/private/tmp")',
    '  (literal "/dev/null") (literal "/dev/zero") (regex #"^/dev/tty") (regex #"^/dev/fd/"))',
    ...(around.length ? [`(deny file-read* ${around.join(' ')})`, '(allow file-read* (subpath (param "WORKSPACE")))'] : []),
    ...(inside.length ? [`(deny file-read* file-write* ${inside.join(' ')})`] : []),
    '(deny process-info*)',
    '(allow process-info* (target same-sandbox))',
    '(deny sysctl-read (sysctl-name-prefix "kern.procargs"))',
  ].join('\n');
  return [SANDBOX_EXEC, ...params.flatMap((p) => ['-D', p]), '-p', profile];
}
