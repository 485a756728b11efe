/** The `waymark` command line (SPEC §6). */
import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES } from '../../shared/status';
import type { CliIO } from './cli-context';
import { budgetUsdOption } from './budget-option';
import { allOption, limitOption, statusOption } from './runs-options';

/**
 * Each command's module loads when that command runs, not at start-up: `validate` never
 * loads the engine or the store, and only `serve` loads the web server.
 */
const commands = {
  run: () => import('./run-command'),
  decide: () => import('./decide-command'),
  show: () => import('./show-command'),
  validate: () => import('./validate-command'),
  serve: () => import('./serve-command'),
  worker: () => import('./worker-command'),
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('waymark')
    .description('Run multi-phase AI agent flows that never lose work.')
    .showHelpAfterError('(run `waymark --help` for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const db = () => new Option('--db <path|url>', 'database file or postgres:// URL (default: WAYMARK_DB, else the app data folder)');
  const json = () => new Option('--json', 'print one JSON document on stdout');
  const queue = () => new Option('--queue', 'submit it for a worker (waymark worker) and return at once');

  program
    .command('run')
    .description('run a flow')
    .argument('<flow>', 'flow file (YAML)')
    .option('--input <name=value>', 'set an input (repeatable)', collect)
    .addOption(db())
    .addOption(json())
    .addOption(queue())
    .action(async (flow: string, opts) => setExit(await (await commands.run()).runCommand(flow, opts, io)));

  program
    .command('resume')
    .description('resume a failed, interrupted or cancelled run')
    .argument('<runId>', 'run id (see `waymark runs`)')
    .option('--restart-phase <id>', 'run this phase again from scratch instead of reusing or continuing it')
    .addOption(budgetUsdOption())
    .addOption(db())
    .addOption(json())
    .addOption(queue())
    .action(async (runId: string, opts) => setExit(await (await commands.run()).resumeCommand(runId, opts, io)));

  program
    .command('rerun')
    .description('run a run again from a phase, as a new run: that phase and the ones after it run, the rest is reused')
    .argument('<runId>', 'run id (see `waymark runs`); any run, succeeded ones too')
    .requiredOption('--from <phase>', 'the phase to run again from (see `waymark show RUN`)')
    .addOption(db())
    .addOption(json())
    .action(async (runId: string, opts) => setExit(await (await commands.run()).rerunCommand(runId, opts, io)));

  program
    .command('approve')
    .description('approve a waiting approval phase, then continue the run here (like resume)')
    .argument('<runId>', 'run id (see `waymark runs --status waiting`)')
    .argument('<phase>', 'the approval phase (see `waymark show RUN`)')
    .option('--comment <text>', "for the phases after it: the approval phase's output (default: empty)")
    .addOption(db())
    .addOption(json())
    .action(async (runId: string, phase: string, opts) => setExit(await (await commands.decide()).approveCommand(runId, phase, opts, io)));

  program
    .command('reject')
    .description('reject a waiting approval phase: it fails with the reason, and so does the run (a resume asks again)')
    .argument('<runId>', 'run id (see `waymark runs --status waiting`)')
    .argument('<phase>', 'the approval phase (see `waymark show RUN`)')
    .option('--reason <text>', 'why, for the record and for whoever fixes it (required)')
    .addOption(db())
    .addOption(json())
    .action(async (runId: string, phase: string, opts) => setExit(await (await commands.decide()).rejectCommand(runId, phase, opts, io)));

  program
    .command('runs')
    .description('list runs, newest first')
    .addOption(db())
    .addOption(json())
    .addOption(limitOption())
    .addOption(allOption())
    .addOption(statusOption())
    .action(async (opts) => setExit(await (await commands.show()).runsCommand(opts, io)));

  program
    .command('show')
    .description('show a run and its phases, or with --phase one phase: its whole output, every try and its transcript')
    .argument('<runId>')
    .option('--phase <id>', "show this phase: its whole output, its tries (status, error, timing, command line, stderr) and an agent's transcript")
    .addOption(db())
    .addOption(json())
    .action(async (runId: string, opts) => setExit(await (await commands.show()).showCommand(runId, opts, io)));

  program
    .command('validate')
    .description('check a flow file and print every problem')
    .argument('<flow>')
    .action(async (flow: string) => setExit(await (await commands.validate()).validateCommand(flow, io)));

  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (prints the URL with its access token, kept per database)')
    .option('--port <n>', "port to listen on (default: the one this database's server used last, else a free one; 0 picks a free one)")
    .addOption(db())
    .option('--root <dir>', 'folder the app may open and run flow files from (default: the current folder)')
    .option('--new-token', "make a new access token: pages opened with the old address are refused (default: keep this database's token, so open tabs reconnect after a restart)")
    .action(async (opts) => setExit(await (await commands.serve()).serveCommand(opts, io)));

  program
    .command('worker')
    .description('execute queued runs (run --queue, resume --queue) until stopped with Ctrl+C or SIGTERM')
    .addOption(db())
    .option('--concurrency <n>', 'runs executed at once', '1')
    .option('--workspace-root <dir>', 'folder relative workdirs resolve under (default: the current folder)')
    .action(async (opts) => setExit(await (await commands.worker()).workerCommand(opts, io)));

  return program;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT_CODES.succeeded;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT_CODES.succeeded : EXIT_CODES.usage;
    }
    throw err;
  }
}
