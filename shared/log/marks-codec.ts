/**
 * How a stream's marks (shared/log/phase-log.ts) are stored: one JSON array of numbers,
 * three per mark, each the difference from the mark before (line, time, order all grow,
 * so the numbers stay small). Damaged text reads back as no marks: a log without times,
 * never an error.
 */
import type { LogMark } from './phase-log';

export function encodeMarks(marks: readonly LogMark[]): string {
  const out: number[] = [];
  let prev: LogMark = { line: 0, at: 0, order: 0 };
  for (const mark of marks) {
    out.push(mark.line - prev.line, mark.at - prev.at, mark.order - prev.order);
    prev = mark;
  }
  return JSON.stringify(out);
}

export function decodeMarks(json: string | null): LogMark[] {
  if (!json) return [];
  let numbers: unknown;
  try {
    numbers = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(numbers) || numbers.length % 3 !== 0 || !numbers.every((n) => Number.isSafeInteger(n))) return [];
  const marks: LogMark[] = [];
  let prev: LogMark = { line: 0, at: 0, order: 0 };
  for (let i = 0; i < numbers.length; i += 3) {
    prev = { line: prev.line + (numbers[i] as number), at: prev.at + (numbers[i + 1] as number), order: prev.order + (numbers[i + 2] as number) };
    marks.push(prev);
  }
  return marks;
}
