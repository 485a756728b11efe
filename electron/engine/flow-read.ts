/**
 * Reads a flow file's bytes without ever blocking on it or reading without bound. The
 * file is opened with O_NONBLOCK (so opening a FIFO does not wait for a writer) and
 * `fstat`ed through the same handle: anything but a regular file (FIFO, device, socket,
 * folder) is refused before a byte is read, and so is a file over MAX_FLOW_BYTES. The
 * read itself stops one byte past the cap, should the file grow meanwhile. Symbolic
 * links are followed: users link flows into place.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { describeKind } from './file-kind';
import { WaymarkError } from '../../shared/errors';
import { formatSize, MAX_FLOW_BYTES } from '../../shared/flow/limits';
import { positionAt, type TextProblem } from '../../shared/flow/text-checks';

/** O_NONBLOCK does not exist on Windows, where there are no FIFOs to open either. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface FlowBytes {
  bytes: Buffer;
  /** From the handle the bytes were read through (its `mtimeMs` matches them). */
  stats: Stats;
}

/** `shown` is the name errors use (serve mode shows paths relative to its root). */
export function readFlowBytesSync(file: string, shown = file): FlowBytes {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw openError(shown, err);
  }
  try {
    const stats = fstatSync(fd);
    refuseUnlessFlowFile(stats, shown);
    let bytes: Buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) bytes = grown(bytes, shown);
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { bytes: bytes.subarray(0, length), stats };
  } finally {
    closeSync(fd);
  }
}

/** The same, without blocking the event loop (serve mode reads flows between requests). */
export async function readFlowBytes(file: string, shown = file): Promise<FlowBytes> {
  const handle = await open(file, OPEN_FLAGS).catch((err: unknown) => {
    throw openError(shown, err);
  });
  try {
    const stats = await handle.stat();
    refuseUnlessFlowFile(stats, shown);
    let bytes: Buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) bytes = grown(bytes, shown);
      const n = (await handle.read(bytes, length, bytes.length - length, null)).bytesRead;
      if (n === 0) break;
      length += n;
    }
    return { bytes: bytes.subarray(0, length), stats };
  } finally {
    await handle.close();
  }
}

function refuseUnlessFlowFile(stats: Stats, shown: string): void {
  if (!stats.isFile()) {
    throw new WaymarkError('FLOW_NOT_FOUND', `${shown} is ${describeKind(stats, 'a folder')}, not a flow file; give the path of a .yaml file`, { where: { file: shown } });
  }
  if (stats.size > MAX_FLOW_BYTES) throw tooBig(shown, `is ${formatSize(stats.size)}`);
}

/** A file that outgrew its `fstat` size while being read: twice the room, up to one byte past the cap. */
function grown(bytes: Buffer, shown: string): Buffer {
  if (bytes.length > MAX_FLOW_BYTES) throw tooBig(shown, 'grew while being read');
  const next = Buffer.allocUnsafe(Math.min(Math.max(bytes.length * 2, 4096), MAX_FLOW_BYTES + 1));
  bytes.copy(next);
  return next;
}

/** `what` is "is 10 MiB (10485760 bytes)" or "grew while being read". */
function tooBig(shown: string, what: string): WaymarkError {
  return new WaymarkError('FLOW_INVALID', `${shown} ${what}, over the limit of ${formatSize(MAX_FLOW_BYTES)} for a flow file`, { where: { file: shown } });
}


function openError(shown: string, err: unknown): WaymarkError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? ': no such file'
    : code === 'EISDIR' ? ' is a folder, not a flow file; give the path of a .yaml file'
    : code === 'ENXIO' ? ' is a socket, not a flow file; give the path of a .yaml file'
    : code === 'EACCES' || code === 'EPERM' ? ': permission denied; check the file\'s permissions'
    : `: cannot read the flow file: ${(err as Error).message}`;
  // Messages start with the path, so the CLI's "file: message" form does not repeat it.
  return new WaymarkError('FLOW_NOT_FOUND', `${shown}${why}`, { where: { file: shown }, cause: err });
}

/**
 * The text of a flow file's bytes. Bytes that are not UTF-8 are a problem at the line
 * and column of the first one; `text` is then the lenient decoding (U+FFFD for each bad
 * sequence), so an editor can still show the file. A byte-order mark is dropped.
 */
export function decodeFlowText(bytes: Uint8Array): { text: string; problem?: TextProblem } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    // Walk the lenient text and the bytes together; the first U+FFFD that the bytes do
    // not spell (EF BF BD) is where decoding failed.
    let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.codePointAt(i) as number;
      if (c === 0xfffd && !(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) {
        const { line, column } = positionAt(text, i);
        const byte = (bytes[at] as number).toString(16).padStart(2, '0');
        return { text, problem: { message: `invalid UTF-8 at line ${line}, column ${column} (byte 0x${byte} at offset ${at}); flow files are UTF-8 text: save the file as UTF-8`, line, column } };
      }
      at += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (c >= 0x10000) i += 1;
    }
    return { text, problem: { message: 'invalid UTF-8; flow files are UTF-8 text: save the file as UTF-8', line: 1, column: 1 } }; // not reached
  }
}
