/** A block of text that may hold terminal colours (a command's output in a tool result): coloured, escape codes never shown. */
import { ansiLine, lineStates } from './ansi';
import '../../styles/log.css';

export function AnsiBlock({ text, className }: { text: string; className: string }) {
  const lines = text.split('\n');
  const states = lineStates(lines);
  return (
    <pre className={className}>
      {lines.map((line, i) => (
        <span key={i}>
          {ansiLine(line, states[i]).spans.map((s, j) => (
            <span key={j} className={[s.fg && `ansi-fg-${s.fg}`, s.bg && `ansi-bg-${s.bg}`, s.bold && 'ansi-bold', s.dim && 'ansi-dim', s.italic && 'ansi-italic', s.underline && 'ansi-underline'].filter(Boolean).join(' ') || undefined}>
              {s.text}
            </span>
          ))}
          {i < lines.length - 1 ? '\n' : ''}
        </span>
      ))}
    </pre>
  );
}
