/**
 * Keeps secrets out of everything Waymark stores or shows. The engine passes every fact
 * and event through one redactor (Engine durable()/emit()), built from the secret values
 * of its environment (provider keys, and any *_API_KEY / *_TOKEN / *SECRET* variable)
 * plus patterns for credentials that leak in text: `Bearer …`, `sk-…`, `x-api-key: …`.
 */
import { isSecretName } from './tools/tool-env';

export const REDACTED = '[redacted]';
/** Shorter values are not treated as secrets: too many false hits ("1", "true"). */
const MIN_SECRET_LENGTH = 8;

export interface Redactor {
  text(value: string): string;
  /** A copy of `value` with every string redacted; unchanged parts are shared, not copied. */
  deep<T>(value: T): T;
}

const PATTERNS: [RegExp, (match: string, ...groups: string[]) => string][] = [
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, (_m, scheme, space) => `${scheme}${space}${REDACTED}`],
  [/((?:x-api-key|api[_-]?key|authorization)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"',;}]{8,}/gi, (_m, head) => `${head}${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{20,}/g, (m) => (/\d/.test(m) ? REDACTED : m)],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, () => REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, () => REDACTED],
];

/** The secret values of an environment: provider keys by name, and secret-looking variables. */
export function secretValues(env: Readonly<NodeJS.ProcessEnv>, keyNames: readonly string[] = []): string[] {
  const names = new Set(keyNames);
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && (names.has(name) || isSecretName(name))) values.push(value.trim());
  }
  return values;
}

export function createRedactor(secrets: Iterable<string>): Redactor {
  const unique = [...new Set([...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  const literal = unique.length ? new RegExp(unique.map(escapeRegExp).join('|'), 'g') : null;
  const text = (value: string): string => {
    let out = literal ? value.replace(literal, REDACTED) : value;
    for (const [pattern, replace] of PATTERNS) out = out.replace(pattern, replace as (m: string) => string);
    return out;
  };
  const deep = <T>(value: T): T => redactValue(value, text, 0) as T;
  return { text, deep };
}

function redactValue(value: unknown, text: (s: string) => string, depth: number): unknown {
  if (typeof value === 'string') return text(value);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = redactValue(item, text, depth + 1);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const next = redactValue(item, text, depth + 1);
    if (next !== item) changed = true;
    out[key] = next;
  }
  return changed ? out : value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
