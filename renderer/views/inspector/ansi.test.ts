import { describe, expect, it } from 'vitest';
import { ansiLine, lineStates, plainText } from './ansi';

describe('terminal colours in log lines', () => {
  it('turns SGR colours and decorations into styled runs, named colours by name', () => {
    expect(ansiLine('\u001b[1;32m✓ ok\u001b[0m done').spans).toEqual([{ text: '✓ ok', fg: 'green', bold: true }, { text: ' done' }]);
    expect(ansiLine('\u001b[41;97mFAIL\u001b[0m').spans).toEqual([{ text: 'FAIL', fg: 'bright-white', bg: 'red' }]);
    expect(ansiLine('\u001b[3;4;9mx').spans).toEqual([{ text: 'x', italic: true, underline: true, strike: true }]);
  });

  it('gives 256 and true colours as CSS colours', () => {
    expect(ansiLine('\u001b[38;5;208mo\u001b[48;5;240mg\u001b[38;2;1;2;3mt').spans).toEqual([
      { text: 'o', fgCss: 'rgb(255, 135, 0)' },
      { text: 'g', fgCss: 'rgb(255, 135, 0)', bgCss: 'rgb(88, 88, 88)' },
      { text: 't', fgCss: 'rgb(1, 2, 3)', bgCss: 'rgb(88, 88, 88)' },
    ]);
    expect(ansiLine('\u001b[38;5;1mred').spans).toEqual([{ text: 'red', fg: 'red' }]);
  });

  it('never leaves an escape code or control character in the text', () => {
    const line = ansiLine('\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007 \u001b[2K\u001b[1Gbar\u0008\u0007 tab\there');
    expect(line.plain).toBe('link bar tab\there');
    expect(line.spans.map((s) => s.text).join('')).toBe(line.plain);
    expect(plainText('a\u001b[31mb\u001b[0m\u009b31mc\u0000')).toBe('abc');
  });

  it('keeps HTML as text', () => {
    expect(ansiLine('\u001b[31m<script>alert(1)</script>').spans).toEqual([{ text: '<script>alert(1)</script>', fg: 'red' }]);
  });

  it('carries a colour to the lines after it until it is reset', () => {
    const texts = ['\u001b[33mwarning: starts here', 'still yellow', 'ends \u001b[0mnow', 'plain', '\u001b[7;34minverse', 'next'];
    const states = lineStates(texts);
    expect(states[0]).toBe('');
    expect(ansiLine(texts[1] as string, states[1]).spans).toEqual([{ text: 'still yellow', fg: 'yellow' }]);
    expect(ansiLine(texts[2] as string, states[2]).spans).toEqual([{ text: 'ends ', fg: 'yellow' }, { text: 'now' }]);
    expect(states[3]).toBe('');
    expect(ansiLine(texts[5] as string, states[5]).spans).toEqual(ansiLine('\u001b[7;34mnext').spans);
  });
});
