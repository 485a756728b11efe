/**
 * POSIX shell quoting for template values in `command` phases: the value is always one
 * literal word, whatever it contains (an output may come from a model).
 */
export function shellQuote(value: string): string {
  if (process.platform === 'win32') return `"${value.replace(/(["^%!])/g, '^$1')}"`;
  // Always quoted, even when it looks harmless: unquoted, "A=b" is an assignment and
  // "if" or "done" are reserved words at the start of a command.
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `phases.my-step` → `WAYMARK_OUTPUT_MY_STEP`. */
export function envName(prefix: 'WAYMARK_INPUT_' | 'WAYMARK_OUTPUT_', name: string): string {
  return prefix + name.toUpperCase().replace(/-/g, '_');
}
