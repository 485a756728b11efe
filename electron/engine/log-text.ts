/** Byte-measured cuts of text for the log capture: never inside a character. */

export function bytesOf(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function countLineEnds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** The longest start of `text` that is at most `max` bytes of UTF-8. */
export function keepFirstBytes(text: string, max: number): string {
  if (max <= 0) return '';
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let end = max;
  while (end > 0 && isContinuation(bytes[end] as number)) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

/** The longest end of `text` that is at most `max` bytes of UTF-8. */
export function keepLastBytes(text: string, max: number): string {
  if (max <= 0) return '';
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let start = bytes.length - max;
  while (start < bytes.length && isContinuation(bytes[start] as number)) start += 1;
  return bytes.subarray(start).toString('utf8');
}

/** A byte that continues a multi-byte UTF-8 character (10xxxxxx). */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}
