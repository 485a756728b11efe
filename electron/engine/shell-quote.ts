/**
 * POSIX shell quoting for template values in `command` phases: the value is always one
 * literal word, whatever it contains (an output may come from a model).
 */
export function shellQuote(value: string): string {
  if (process.platform === 'win32') return `"${value.replace(/(["^%!])/g, '^$1')}"`;
  if (value === '') return "''";
  if (/^[A-Za-z0-9_/.,:=+@%-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `phases.my-step` → `WAYMARK_OUTPUT_MY_STEP`. */
export function envName(prefix: 'WAYMARK_INPUT_' | 'WAYMARK_OUTPUT_', name: string): string {
  return prefix + name.toUpperCase().replace(/-/g, '_');
}
