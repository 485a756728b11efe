import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../shared/flow/template';
import { envName, shellQuote } from './shell-quote';

/** Runs a command line through a real POSIX shell and returns its stdout. */
function sh(command: string): string {
  return execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
}

const NASTY = [
  '',
  ' ',
  'plain',
  '$(rm -rf /)',
  '`rm -rf /`',
  '${HOME}',
  '$HOME',
  '$((1+1))',
  "it's",
  "'",
  "''",
  "'\\''",
  '"double" quotes',
  '\\',
  'back\\slash\\n',
  'line one\nline two\n',
  '\n',
  '\r\n\t',
  'a; echo INJECTED',
  'a | cat /etc/passwd',
  'a && echo INJECTED',
  'a || echo INJECTED',
  'a & echo INJECTED',
  '> /tmp/waymark-should-not-exist',
  '< /etc/passwd',
  '*',
  '/*',
  '?',
  '[a-z]*',
  '~',
  '~root',
  '{a,b}',
  '#not a comment',
  '!',
  '!!',
  'A=b',
  'PATH=/nowhere',
  'if',
  'done',
  '-n',
  '--help',
  '-e \\x41',
  'unicode: naïve café 日本語 🚀',
  '\u00a0non-breaking\u2028separator',
  "mixed 'single' \"double\" `tick` $(sub) ${var} \\ end",
];

describe('shellQuote', () => {
  it.each(NASTY.map((s) => [JSON.stringify(s), s]))('passes %s through /bin/sh as exactly one literal word', (_label, value) => {
    expect(sh(`printf %s ${shellQuote(value)}`)).toBe(value);
  });

  it('keeps the value one word: the shell sees exactly one argument', () => {
    for (const value of NASTY) expect(sh(`set -- ${shellQuote(value)}; printf %s "$#"`)).toBe('1');
  });

  it('is safe at the start of a command: an assignment-looking or reserved word is not interpreted', () => {
    // Unquoted, "A=b" would be an assignment and "if" a syntax error.
    expect(() => sh(`${shellQuote('A=b')} 2>/dev/null`)).toThrow();
    expect(sh(`${shellQuote('printf')} %s ${shellQuote('if')}`)).toBe('if');
  });

  it('is safe inside a rendered command template', () => {
    const command = renderTemplate('printf "%s|" {{inputs.a}} {{phases.b.output}}', (ref) => (ref.type === 'input' ? "x'; echo PWNED; '" : '$(echo PWNED)'), shellQuote);
    expect(sh(command)).toBe("x'; echo PWNED; '|$(echo PWNED)|");
  });
});

describe('envName', () => {
  it('upper-cases and maps "-" to "_"', () => {
    expect(envName('WAYMARK_OUTPUT_', 'my-step_2')).toBe('WAYMARK_OUTPUT_MY_STEP_2');
    expect(envName('WAYMARK_INPUT_', 'apiKey')).toBe('WAYMARK_INPUT_APIKEY');
  });
});
