/**
 * One line of a log: its time (when it differs from the line above), and its text with
 * the command's colours and the search matches marked. Text is only ever React text
 * children, never HTML: a `<script>` in a log is shown, not run.
 */
import { memo, type CSSProperties } from 'react';
import type { LogLine } from '../../../shared/log/log-lines';
import { ansiLine, type AnsiSpan } from './ansi';
import { markSpans, type MarkedSpan } from './log-search';
import type { GutterTime } from './log-view-model';

export interface LogRowProps {
  line: LogLine;
  /** The colour state in force at the line's start (ansi.ts lineStates). */
  prefix: string;
  /** The time shown in the gutter; null leaves it empty. */
  time: GutterTime | null;
  /** Search matches in the line (plain-text offsets). */
  ranges: readonly { start: number; end: number; current: boolean }[];
}

export const LogRow = memo(function LogRow({ line, prefix, time, ranges }: LogRowProps) {
  const omitted = line.kind === 'omitted';
  const spans = markSpans(ansiLine(line.text, omitted ? '' : prefix).spans, ranges);
  return (
    <div className={`log-row log-${line.stream}${omitted ? ' log-omitted' : ''}`} data-stream={line.stream} data-kind={line.kind}>
      <span className={`log-time num${time?.same ? ' same' : ''}`} title={line.at === null ? undefined : new Date(line.at).toISOString()}>
        {time?.text ?? ''}
      </span>
      <span className="log-text">
        {spans.map((span, i) => (
          <Span key={i} span={span} />
        ))}
      </span>
    </div>
  );
});

function Span({ span }: { span: MarkedSpan }) {
  const className = classesOf(span);
  const style = styleOf(span);
  const text = span.mark ? <mark className={`log-match${span.mark === 'current' ? ' current' : ''}`}>{span.text}</mark> : span.text;
  if (!className && !style) return <>{text}</>;
  return (
    <span className={className} style={style}>
      {text}
    </span>
  );
}

function classesOf(s: AnsiSpan): string | undefined {
  const names = [
    s.fg && `ansi-fg-${s.fg}`,
    s.bg && `ansi-bg-${s.bg}`,
    s.bold && 'ansi-bold',
    s.dim && 'ansi-dim',
    s.italic && 'ansi-italic',
    s.underline && 'ansi-underline',
    s.strike && 'ansi-strike',
    s.hidden && 'ansi-hidden',
  ].filter(Boolean);
  return names.length > 0 ? names.join(' ') : undefined;
}

function styleOf(s: AnsiSpan): CSSProperties | undefined {
  if (!s.fgCss && !s.bgCss) return undefined;
  return { ...(s.fgCss ? { color: s.fgCss } : {}), ...(s.bgCss ? { backgroundColor: s.bgCss } : {}) };
}
