/**
 * Runs commands sandboxed (SPEC §2): writes only inside the workspace, no view of
 * Waymark's processes, keys, data folder or database, no network unless allowed. Where
 * no sandbox works the answer is a SANDBOX_UNAVAILABLE error saying how to enable one;
 * there is never a fallback to running unsandboxed.
 */
import { realpathSync } from 'node:fs';
import { WaymarkError } from '../../../shared/errors';
import { bubblewrapArgv } from './bubblewrap';
import { detectSandbox } from './detect';
import { planMasks } from './hidden-paths';
import { seatbeltArgv } from './macos-seatbelt';
import type { SandboxSettings } from './settings';

export { sandboxSettings, type SandboxSettings } from './settings';

export interface SandboxRequest {
  workspace: string;
  /** Allow network access (default policy: none). */
  network: boolean;
  settings: SandboxSettings;
  /** The environment the command gets, already without secrets; nothing else reaches it. */
  env: NodeJS.ProcessEnv;
  /**
   * Real paths of folders the command must read though they lie in the private /tmp or a
   * hidden path (a `command` phase's value files); bound read-only. Seatbelt leaves reads
   * outside the hidden paths allowed, so only bubblewrap needs them.
   */
  readOnly?: readonly string[];
  platform?: NodeJS.Platform;
}

export interface SandboxLaunch {
  /** The program and arguments that run the shell inside the sandbox (runShellCommand's `launcher`). */
  launcher: string[];
  /** The environment to spawn the launcher with. */
  env: NodeJS.ProcessEnv;
}

export async function sandboxLaunch(request: SandboxRequest): Promise<SandboxLaunch> {
  const platform = request.platform ?? process.platform;
  const support = await detectSandbox({ platform, ...(request.settings.bwrapPath ? { bwrapPath: request.settings.bwrapPath } : {}) });
  if (!support.ok) throw new WaymarkError('SANDBOX_UNAVAILABLE', `no sandbox works here: ${support.reason}. ${howToEnable(platform)}`);
  const workspace = realpathSync(request.workspace);
  const masks = planMasks(request.settings.hiddenPaths, workspace);
  const plan = { workspace, network: request.network, masks };
  if (support.kind === 'seatbelt') return { launcher: seatbeltArgv(plan), env: request.env };
  // The private /tmp is the one temp folder a command can write to.
  return { launcher: bubblewrapArgv({ ...plan, program: support.program, readOnly: request.readOnly ?? [] }), env: { ...request.env, TMPDIR: '/tmp' } };
}

function howToEnable(platform: NodeJS.Platform): string {
  if (platform === 'linux') {
    return 'To enable it, install bubblewrap (apt install bubblewrap / dnf install bubblewrap / pacman -S bubblewrap) and enable unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 and later also sysctl -w kernel.apparmor_restrict_unprivileged_userns=0); in a container, allow it to create namespaces.';
  }
  if (platform === 'darwin') return 'sandbox-exec is part of macOS; check that /usr/bin/sandbox-exec exists.';
  return 'Run Waymark on Linux (or in WSL 2) with bubblewrap installed, or on macOS.';
}
