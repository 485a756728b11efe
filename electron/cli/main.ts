/** The `waymark` command line (SPEC §6). */
import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES } from '../../shared/status';
import type { CliIO } from './cli-context';
import { resumeCommand, runCommand } from './run-command';
import { serveCommand } from './serve-command';
import { runsCommand, showCommand } from './show-command';
import { validateCommand } from './validate-command';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('waymark')
    .description('Run multi-phase AI agent flows that never lose work.')
    .showHelpAfterError('(run `waymark --help` for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const db = () => new Option('--db <path>', 'database file (default: WAYMARK_DB, else the app data folder)');
  const json = () => new Option('--json', 'print one JSON document on stdout');

  program
    .command('run')
    .description('run a flow')
    .argument('<flow>', 'flow file (YAML)')
    .option('--input <name=value>', 'set an input (repeatable)', collect)
    .addOption(db())
    .addOption(json())
    .action(async (flow: string, opts) => setExit(await runCommand(flow, opts, io)));

  program
    .command('resume')
    .description('resume a failed, interrupted or cancelled run')
    .argument('<runId>', 'run id (see `waymark runs`)')
    .option('--restart-phase <id>', 'run this phase again from scratch instead of reusing or continuing it')
    .addOption(db())
    .addOption(json())
    .action(async (runId: string, opts) => setExit(await resumeCommand(runId, opts, io)));

  program
    .command('runs')
    .description('list runs, newest first')
    .addOption(db())
    .addOption(json())
    .option('--limit <n>', 'how many runs', '50')
    .action((opts) => setExit(runsCommand(opts, io)));

  program
    .command('show')
    .description('show a run and its phases')
    .argument('<runId>')
    .addOption(db())
    .addOption(json())
    .action((runId: string, opts) => setExit(showCommand(runId, opts, io)));

  program
    .command('validate')
    .description('check a flow file and print every problem')
    .argument('<flow>')
    .action((flow: string) => setExit(validateCommand(flow, io)));

  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (prints the URL with its access token)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .addOption(db())
    .option('--root <dir>', 'folder the app may open and run flow files from (default: the current folder)')
    .action(async (opts) => setExit(await serveCommand(opts, io)));

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
