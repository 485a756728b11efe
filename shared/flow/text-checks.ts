/**
 * Checks on a flow's raw text, run before the YAML parser sees it: the size cap (so
 * parsing time is bounded) and characters a UTF-8 flow file cannot hold. Each is a
 * linear scan; none allocates in proportion to the text.
 */
import { formatSize, MAX_FLOW_BYTES } from './limits';

export interface TextProblem {
  message: string;
  line: number;
  column: number;
}

/** Problems of the text as text; empty when the YAML parser may have it. */
export function checkFlowText(text: string): TextProblem[] {
  // A UTF-16 unit is at most 3 bytes of UTF-8, so a short text needs no counting.
  if (text.length > MAX_FLOW_BYTES / 3) {
    const bytes = utf8Length(text);
    if (bytes > MAX_FLOW_BYTES) return [{ message: `the flow is ${formatSize(bytes)}, over the limit of ${formatSize(MAX_FLOW_BYTES)} for a flow file`, line: 1, column: 1 }];
  }
  const problems: TextProblem[] = [];
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const at = positionAt(text, nul);
    problems.push({ message: `NUL character at line ${at.line}, column ${at.column}; flow files are UTF-8 text`, ...at });
  }
  const lone = LONE_SURROGATE.exec(text);
  if (lone) {
    const at = positionAt(text, lone.index);
    const unit = `\\u${lone[0].charCodeAt(0).toString(16)}`;
    problems.push({ message: `unpaired surrogate ${unit} at line ${at.line}, column ${at.column} is not valid Unicode; flow files are UTF-8 text`, ...at });
  }
  return problems;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** 1-based line and column (in UTF-16 units, as the YAML parser counts) of `index`. */
export function positionAt(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

/** Bytes of `text` in UTF-8; an unpaired surrogate counts as the 3 bytes of U+FFFD. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
