/** A tool result in the transcript: a file read shown under its path, command output with its colours. */
import type { ToolCallRef } from './transcript-timing';
import { AnsiBlock } from './AnsiBlock';
import { toolCallShape } from '../../../shared/transcript/tool-call-shape';

export function ToolResultView({ name, result, isError, call }: { name: string; result: string; isError: boolean; call: ToolCallRef | undefined }) {
  const shape = call ? toolCallShape(call.input, '') : null;
  const path = !isError && shape?.kind === 'path' ? shape.path : null;
  return (
    <div className={`tool-result${isError ? ' is-error' : ''}`} data-testid="tool-result">
      <div className="tool-label">
        {isError ? 'Tool error' : 'Tool result'} <code>{name}</code>
        {path !== null && (
          <>
            {' '}
            <code className="tool-path">{path}</code>
          </>
        )}
      </div>
      <AnsiBlock text={result} className={`block small${path !== null ? ' tool-file' : ''}`} />
    </div>
  );
}
