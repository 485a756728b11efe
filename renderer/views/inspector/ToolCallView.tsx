/** A tool call in the transcript, shaped for reading (tool-call-shape.ts): files as files, commands as command lines. */
import { contentSize, restText, toolCallShape } from '../../../shared/transcript/tool-call-shape';

export function ToolCallView({ name, input, args }: { name: string; input: unknown; args: string }) {
  const shape = toolCallShape(input, args);
  switch (shape.kind) {
    case 'file':
      return (
        <div className="tool-call" data-testid="tool-call" data-shape="file">
          <div className="tool-label">
            Tool call <code>{name}</code> <code className="tool-path">{shape.path}</code> <span className="muted">{contentSize(shape.content)}</span>
            {Object.keys(shape.rest).length > 0 && <span className="muted"> · {restText(shape.rest)}</span>}
          </div>
          <pre className="block small tool-file" data-testid="tool-file-content">
            {shape.content}
          </pre>
        </div>
      );
    case 'command':
      return (
        <div className="tool-call" data-testid="tool-call" data-shape="command">
          <div className="tool-label">
            Tool call <code>{name}</code>
            {Object.keys(shape.rest).length > 0 && <span className="muted"> · {restText(shape.rest)}</span>}
          </div>
          <pre className="block small log-command">
            <span className="log-prompt" aria-hidden="true">
              ${' '}
            </span>
            {shape.command}
          </pre>
        </div>
      );
    case 'path':
      return (
        <div className="tool-call" data-testid="tool-call" data-shape="path">
          <div className="tool-label">
            Tool call <code>{name}</code> <code className="tool-path">{shape.path}</code>
            {Object.keys(shape.rest).length > 0 && <span className="muted"> · {restText(shape.rest)}</span>}
          </div>
        </div>
      );
    case 'json':
      return (
        <div className="tool-call" data-testid="tool-call" data-shape="json">
          <div className="tool-label">
            Tool call <code>{name}</code>
          </div>
          <pre className="block small">{shape.json}</pre>
        </div>
      );
  }
}
