/**
 * Terminal colours in log lines: `anser` parses the SGR sequences into styled runs of
 * text; every other escape sequence and control character is removed (`strip-ansi`), so
 * no raw escape code reaches the page. The result is data (text plus style names) that
 * React renders as text: nothing here is ever HTML.
 *
 * A colour set on one line lasts until reset, possibly lines later: `lineStates` gives
 * the SGR prefix in force at the start of each line, so any single line (the ones a
 * virtual list draws) is styled as it would be in a terminal.
 */
import Anser from 'anser';
import stripAnsi from 'strip-ansi';

export interface AnsiSpan {
  text: string;
  /** One of the 16 colour names (`red`, `bright-blue`...), drawn with theme colours. */
  fg?: string;
  bg?: string;
  /** 256-colour and true colours, as CSS colours. */
  fgCss?: string;
  bgCss?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  hidden?: boolean;
}

export interface AnsiLine {
  spans: AnsiSpan[];
  /** The text without escape codes: what a person sees, and what search looks in. */
  plain: string;
}

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const DECORATION_CODES: Record<string, number> = { bold: 1, dim: 2, italic: 3, underline: 4, blink: 5, hidden: 8, strikethrough: 9 };
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const OPTIONS = { use_classes: true, remove_empty: false } as const;

/** anser's run of text; reverse video is `isInverted`, which its types leave out. */
type AnserJsonEntry = Anser.AnserJsonEntry & { isInverted?: boolean };

/** The text as a person sees it: escape sequences and control characters (tabs kept) removed. */
export function plainText(text: string): string {
  return stripAnsi(text).replace(CONTROLS, '');
}

/** `text` styled, starting in the state `prefix` (an SGR sequence from `lineStates`) sets. */
export function ansiLine(text: string, prefix = ''): AnsiLine {
  if (!hasEscape(text) && prefix === '') {
    const plain = text.replace(CONTROLS, '');
    return { spans: plain ? [{ text: plain }] : [], plain };
  }
  const spans = Anser.ansiToJson(prefix + text, OPTIONS).flatMap((entry) => {
    const clean = plainText(entry.content);
    return clean ? [spanOf(clean, entry)] : [];
  });
  return { spans, plain: spans.map((s) => s.text).join('') };
}

/** For each line, the SGR sequence that sets the state in force at its start ('' for none). */
export function lineStates(texts: readonly string[]): string[] {
  const states: string[] = [];
  let prefix = '';
  for (const text of texts) {
    states.push(prefix);
    if (hasEscape(text)) prefix = stateAfter(prefix, text);
  }
  return states;
}

/** End states already worked out: a live log asks again for the same lines on every update. */
const ends = new Map<string, string>();
const ENDS_KEPT = 20_000;

function stateAfter(prefix: string, text: string): string {
  // Most coloured lines end with a reset: nothing carries over, whatever came before.
  if (endsWithReset(text)) return '';
  const key = `${prefix}\u0000${text}`;
  const known = ends.get(key);
  if (known !== undefined) return known;
  const entries = Anser.ansiToJson(prefix + text, OPTIONS);
  const last = entries[entries.length - 1];
  const end = last ? sgrOf(last) : prefix;
  if (ends.size >= ENDS_KEPT) ends.clear();
  ends.set(key, end);
  return end;
}

/** The line's last escape sequence is a full SGR reset (ESC[m or ESC[0m). */
function endsWithReset(text: string): boolean {
  const at = text.lastIndexOf('\u001b');
  if (at < 0 || text.includes('\u009b', at)) return false;
  const rest = text.slice(at);
  return rest.startsWith('\u001b[0m') || rest.startsWith('\u001b[m');
}

function hasEscape(text: string): boolean {
  return text.includes('\u001b') || text.includes('\u009b');
}

function spanOf(text: string, e: AnserJsonEntry): AnsiSpan {
  const span: AnsiSpan = { text };
  const fg = colourOf(e.fg, e.fg_truecolor);
  const bg = colourOf(e.bg, e.bg_truecolor);
  if (fg?.name) span.fg = fg.name;
  if (fg?.css) span.fgCss = fg.css;
  if (bg?.name) span.bg = bg.name;
  if (bg?.css) span.bgCss = bg.css;
  const d = new Set(e.decorations);
  if (d.has('bold')) span.bold = true;
  if (d.has('dim')) span.dim = true;
  if (d.has('italic')) span.italic = true;
  if (d.has('underline')) span.underline = true;
  if (d.has('strikethrough')) span.strike = true;
  if (d.has('hidden')) span.hidden = true;
  return span;
}

/** anser's colour class (`ansi-red`, `ansi-bright-red`, `ansi-palette-208`, `ansi-truecolor`) as a name or a CSS colour. */
function colourOf(cls: string | null, truecolor: string | null): { name?: string; css?: string } | null {
  if (!cls) return null;
  if (cls === 'ansi-truecolor') return truecolor ? { css: `rgb(${truecolor})` } : null;
  const palette = /^ansi-palette-(\d+)$/.exec(cls);
  if (palette) return paletteColour(Number(palette[1]));
  const name = cls.replace(/^ansi-/, '');
  return NAMES.includes(name.replace(/^bright-/, '')) ? { name } : null;
}

/** The xterm 256-colour palette: 16 theme colours, a 6×6×6 cube, 24 greys. */
function paletteColour(n: number): { name?: string; css?: string } | null {
  if (n < 8) return { name: NAMES[n] as string };
  if (n < 16) return { name: `bright-${NAMES[n - 8] as string}` };
  if (n < 232) {
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    const i = n - 16;
    return { css: `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})` };
  }
  if (n < 256) {
    const grey = 8 + (n - 232) * 10;
    return { css: `rgb(${grey}, ${grey}, ${grey})` };
  }
  return null;
}

/** The SGR sequence that recreates the style of `e` (anser's state at the end of a line). */
function sgrOf(e: AnserJsonEntry): string {
  // anser swaps the colours of reverse video; swap them back and say `reverse` instead.
  const [fg, bg, fgTrue, bgTrue] = e.isInverted ? [e.bg, e.fg, e.bg_truecolor, e.fg_truecolor] : [e.fg, e.bg, e.fg_truecolor, e.bg_truecolor];
  const codes = [
    ...e.decorations.map((d) => DECORATION_CODES[d]).filter((c): c is number => c !== undefined),
    ...(e.isInverted ? [7] : []),
    ...colourCodes(fg, fgTrue, 30),
    ...colourCodes(bg, bgTrue, 40),
  ];
  return codes.length > 0 ? `\u001b[${codes.join(';')}m` : '';
}

function colourCodes(cls: string | null, truecolor: string | null, base: 30 | 40): (number | string)[] {
  if (!cls) return [];
  if (cls === 'ansi-truecolor') return truecolor ? [base + 8, 2, ...truecolor.split(',').map((v) => v.trim())] : [];
  const palette = /^ansi-palette-(\d+)$/.exec(cls);
  if (palette) return [base + 8, 5, palette[1] as string];
  const name = cls.replace(/^ansi-/, '');
  const bright = name.startsWith('bright-');
  const index = NAMES.indexOf(bright ? name.slice('bright-'.length) : name);
  return index < 0 ? [] : [base + (bright ? 60 : 0) + index];
}
