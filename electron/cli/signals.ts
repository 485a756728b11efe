/** Stopping a long-running command (serve, worker) on SIGINT/SIGTERM. */
import { EXIT_CODES } from '../../shared/status';
import type { CliIO } from './cli-context';

/**
 * Resolves on the first SIGINT/SIGTERM, after writing `stopping` to stderr; a second one
 * kills the running commands (`killNow`) and exits at once (3), leaving the runs for the
 * next Waymark process to find.
 */
export function untilSignal(signals: NodeJS.EventEmitter, io: CliIO, stopping: string, killNow: () => void): Promise<void> {
  return new Promise((done) => {
    let count = 0;
    const onSignal = (signal: string) => {
      count += 1;
      if (count > 1) {
        killNow();
        process.exit(EXIT_CODES.interrupted);
      }
      io.stderr.write(`${signal}: ${stopping}… (press again to quit at once)\n`);
      done();
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
  });
}
