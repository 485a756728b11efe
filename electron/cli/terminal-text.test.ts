/** Phase output as the command line prints it: colours kept only where they show, other escapes never. */
import { describe, expect, it } from 'vitest';
import { plainFirstLine, shorten, showsColour, terminalText } from './terminal-text';

const RED = '\u001b[31m';
const RESET = '\u001b[0m';
const TITLE = '\u001b]0;pwned\u0007';
const CURSOR_UP = '\u001b[2A';

describe('terminal text', () => {
  it('keeps colours on a colour terminal, drops every other escape, and ends coloured text with a reset', () => {
    expect(terminalText(`${RED}fail${CURSOR_UP}${TITLE} done`, true)).toBe(`${RED}fail done${RESET}`);
    expect(terminalText(`plain${CURSOR_UP}`, true)).toBe('plain');
  });

  it('is plain text anywhere else', () => {
    expect(terminalText(`${RED}fail${RESET}${TITLE}`, false)).toBe('fail');
  });

  it('shows colours only on a terminal that is not dumb and without NO_COLOR', () => {
    expect(showsColour({ isTTY: true }, {})).toBe(true);
    expect(showsColour({ isTTY: false }, {})).toBe(false);
    expect(showsColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(showsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });

  it('shortens with an ellipsis, and previews the first line as plain text', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abcd', 4)).toBe('abcd');
    expect(plainFirstLine(`${RED}first line${RESET}\nsecond`, 8)).toBe('first l…');
    expect(plainFirstLine('', 8)).toBe('');
  });
});
