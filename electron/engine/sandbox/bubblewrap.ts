/**
 * The Linux sandbox: bubblewrap's argv for one command. We use bubblewrap directly: it is
 * the maintained unprivileged sandbox (Flatpak's), and `@anthropic-ai/sandbox-runtime`
 * would add a network proxy stack we do not need (network is all or nothing here).
 *
 * The policy, in mount order (later mounts cover earlier ones, so order matters):
 * - every namespace is new (`--unshare-all`); the network one is shared back only when
 *   the phase allows network. A new PID namespace with its own /proc means /proc/$PPID,
 *   /proc/N/environ and `ps e` show only sandboxed processes, never Waymark;
 * - all capabilities are dropped, so a command run as root cannot unmount the masks or
 *   remount / read-write;
 * - `/` read-only; fresh /dev, /proc, and a private writable /tmp;
 * - /run (and a real /var/run) replaced by an empty folder: it holds unix sockets such as
 *   docker.sock, which a read-only bind would still let a command connect to. With
 *   network, the resolver configuration /etc/resolv.conf points at is put back;
 * - the hidden paths replaced by empty ones (home, Waymark's data, the database);
 * - the workspace mounted read-write over all that (it may lie under the hidden home),
 *   then masks that lie inside the workspace;
 * - `--die-with-parent` and a PID namespace: when Waymark kills bwrap (the process group
 *   kill in child-process.ts), the namespace and every process in it die with it;
 *   `--new-session` keeps a command from pushing keystrokes into a terminal.
 *
 * The environment is NOT passed with --setenv: argv is world-readable in /proc/N/cmdline,
 * and bwrap's own environment is what /proc/1/environ shows inside the sandbox. The caller
 * spawns bwrap with the already cleaned environment, which bwrap hands on unchanged.
 */
import { lstatSync, realpathSync } from 'node:fs';
import type { MaskPlan, Mask } from './hidden-paths';

export interface BubblewrapPlan {
  program: string;
  /** Real path of the workspace: the only writable place besides the private /tmp. */
  workspace: string;
  network: boolean;
  masks: MaskPlan;
  /** Real paths the command may read but not change (a phase's value files), bound at the same place. */
  readOnly?: readonly string[];
}

export function bubblewrapArgv(plan: BubblewrapPlan): string[] {
  const { workspace, masks } = plan;
  return [
    plan.program,
    '--unshare-all',
    ...(plan.network ? ['--share-net'] : []),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
    ...runFolders().flatMap((dir) => ['--tmpfs', dir]),
    ...(plan.network ? resolverFiles().flatMap((file) => ['--ro-bind', file, file]) : []),
    ...masks.around.flatMap(maskArgs),
    ...(plan.readOnly ?? []).flatMap((path) => ['--ro-bind', path, path]),
    '--bind', workspace, workspace,
    ...masks.inside.flatMap(maskArgs),
    '--chdir', workspace,
  ];
}

function maskArgs(mask: Mask): string[] {
  return mask.dir ? ['--tmpfs', mask.path] : ['--ro-bind', '/dev/null', mask.path];
}

/** /run, and /var/run when it is a folder of its own rather than the usual symlink to /run. */
function runFolders(): string[] {
  return ['/run', '/var/run'].filter((dir) => {
    try {
      return lstatSync(dir).isDirectory();
    } catch {
      return false;
    }
  });
}

/** Where /etc/resolv.conf really is, when that is under /run (systemd-resolved, NetworkManager). */
function resolverFiles(): string[] {
  try {
    const target = realpathSync('/etc/resolv.conf');
    return target.startsWith('/run/') || target.startsWith('/var/run/') ? [target] : [];
  } catch {
    return [];
  }
}
