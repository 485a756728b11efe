/** The command line a try ran, as the shell ran it (templates resolved, values passed as files shown as `"$(cat -- …)"`). */
import { plainText } from './ansi';

export function CommandLine({ command }: { command: string }) {
  return (
    <pre className="block small log-command" data-testid="inspector-command" title="The command line as the shell ran it">
      <span className="log-prompt" aria-hidden="true">
        ${' '}
      </span>
      {plainText(command)}
    </pre>
  );
}
