import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/log/log-lines';
import { LogRow } from './LogRow';

const line = (text: string, over: Partial<LogLine> = {}): LogLine => ({ stream: 'stderr', kind: 'text', line: 0, text, at: 0, order: 0, ...over });

describe('a log row', () => {
  it('draws a <script> in the log as text, in its colour', () => {
    const html = renderToStaticMarkup(<LogRow line={line('\u001b[31m<script>alert(1)</script>\u001b[0m <b>bold?</b> & "q"')} prefix="" time={{ text: '12:00:00', same: false }} ranges={[]} />);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<span class="ansi-fg-red">&lt;script&gt;alert(1)&lt;/script&gt;</span>');
    expect(html).toContain('&lt;b&gt;bold?&lt;/b&gt; &amp; &quot;q&quot;');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('class="log-row log-stderr"');
  });

  it('marks search matches inside coloured text, the current one apart', () => {
    const html = renderToStaticMarkup(
      <LogRow line={line('\u001b[32mneedle\u001b[0m and needle')} prefix="" time={null} ranges={[{ start: 0, end: 6, current: true }, { start: 11, end: 17, current: false }]} />,
    );
    expect(html).toContain('<span class="ansi-fg-green"><mark class="log-match current">needle</mark></span> and <mark class="log-match">needle</mark>');
  });

  it('styles 256 and true colours inline, starting from the colour the lines above left', () => {
    const html = renderToStaticMarkup(<LogRow line={line('still')} prefix={'\u001b[38;2;10;20;30m'} time={null} ranges={[]} />);
    expect(html).toContain('<span style="color:rgb(10, 20, 30)">still</span>');
  });
});
