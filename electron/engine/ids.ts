import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Run ids sort by creation time: 9 base-32 characters of milliseconds, 6 random. */
export function newRunId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 9; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = [...randomBytes(6)].map((b) => ALPHABET[b % 32]).join('');
  return `${time}${random}`;
}
