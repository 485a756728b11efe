/**
 * Phase output as the command line prints it (issue 12): on a terminal that shows
 * colours, the colours a command wrote (SGR sequences) are kept and every other escape
 * sequence (cursor moves, title and clipboard writes) removed; anywhere else (a pipe, a
 * file, TERM=dumb, NO_COLOR) it is plain text. Node's own `stripVTControlCharacters`
 * decides what an escape sequence is.
 */
import { stripVTControlCharacters } from 'node:util';

// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const SGR = /\u001b\[[0-9;:]*m/g;
const RESET = '\u001b[0m';

/** Whether output to `stream` may keep colours (https://no-color.org: any non-empty NO_COLOR turns them off). */
export function showsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && !env.NO_COLOR;
}

/** `text` for a terminal that shows colours (`colour`), or as plain text; a coloured text ends with a reset. */
export function terminalText(text: string, colour: boolean): string {
  if (!colour) return stripVTControlCharacters(text);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    out += stripVTControlCharacters(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  if (last === 0) return stripVTControlCharacters(text);
  return `${out}${stripVTControlCharacters(text.slice(last))}${RESET}`;
}

/** `line` cut to `max` characters, the last one an ellipsis when cut. */
export function shorten(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The first line of `text` as plain text (no escape codes: a cut could break one), at most `max` characters. */
export function plainFirstLine(text: string, max: number): string {
  return shorten(stripVTControlCharacters(text).split('\n')[0] ?? '', max);
}
