/**
 * `command` phases with `sandbox: true` run in the sandbox `run_command` uses. Opting in
 * means "treat this command as untrusted", so secrets the phase merely inherits (provider
 * keys, *_TOKEN, ...; see tools/tool-env.ts) are left out too; a variable the phase sets
 * itself under `env:` or a WAYMARK_* template variable is kept, whatever its name.
 */
import { hasErrorCode } from '../../../shared/errors';
import type { CommandPhase } from '../../../shared/flow/schema';
import { PhaseFailure, type PhaseContext } from '../phase-kind';
import { providerKeyNames } from '../providers/provider-config';
import { sandboxLaunch, type SandboxLaunch } from '../sandbox';
import { commandEnv } from '../tools/tool-env';

/** `readOnly`: folders the command must be able to read, such as its value files (command-prepare.ts). */
export async function commandSandbox(ctx: PhaseContext<CommandPhase>, env: NodeJS.ProcessEnv, readOnly: readonly string[] = []): Promise<SandboxLaunch> {
  const allowed = commandEnv(ctx.env, providerKeyNames(ctx.flow));
  const cleaned: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    const inheritedSecret = ctx.env[name] === value && !(name in allowed) && !Object.hasOwn(ctx.phase.env ?? {}, name);
    if (!inheritedSecret) cleaned[name] = value;
  }
  try {
    return await sandboxLaunch({ workspace: ctx.workdir, network: ctx.phase.network ?? false, settings: ctx.sandbox, env: cleaned, readOnly });
  } catch (err) {
    if (!hasErrorCode(err, 'SANDBOX_UNAVAILABLE')) throw err;
    throw new PhaseFailure('SANDBOX_UNAVAILABLE', `phase "${ctx.phase.id}" has \`sandbox: true\` but ${(err as Error).message}`);
  }
}
