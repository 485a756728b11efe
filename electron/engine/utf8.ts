/**
 * How Waymark turns a command's bytes into text (docs/flows.md, "Output bytes"): UTF-8,
 * each invalid sequence replaced with U+FFFD (as `TextDecoder` does), and the number of
 * bytes that were not UTF-8 counted so the phase log can say so. NUL is valid UTF-8 and
 * is kept.
 */
import { isUtf8 } from 'node:buffer';

const REPLACEMENT = '\uFFFD';
/** U+FFFD as UTF-8: a replacement character that was really in the input, not one we made. */
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT, 'utf8');

export interface DecodedText {
  text: string;
  /** Bytes that were not valid UTF-8 (0 for valid input). */
  invalidBytes: number;
}

export function decodeUtf8(bytes: Buffer): DecodedText {
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { text, invalidBytes: 0 };
  // Valid characters re-encode to the same bytes, and each replacement stands for one or
  // more invalid bytes; what the re-encoded text lacks beyond those is the invalid part.
  const made = occurrences(text, REPLACEMENT) - occurrencesIn(bytes, REPLACEMENT_BYTES);
  const validBytes = Buffer.byteLength(text, 'utf8') - made * REPLACEMENT_BYTES.length;
  return { text, invalidBytes: bytes.length - validBytes };
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n += 1;
  return n;
}

function occurrencesIn(bytes: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(needle); i !== -1; i = bytes.indexOf(needle, i + needle.length)) n += 1;
  return n;
}
