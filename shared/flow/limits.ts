/**
 * Limits on flow input (docs/flows.md, "Limits"). They keep bad input cheap: a file
 * over the size cap is refused before it is read, and nesting over the depth cap is
 * refused before anything recursive (the YAML composer, `toJS`) sees it.
 */

/**
 * Largest flow file, in bytes of UTF-8 (2 MiB). A hand-written flow is a few KB; a
 * generated one with 20,000 phases (about 90 bytes each) fits. Parsing YAML costs
 * about 1 s per MiB of dense input, so the cap also bounds how long one validation
 * can take.
 */
export const MAX_FLOW_BYTES = 2 * 1024 * 1024;

/**
 * Deepest nesting of mappings and lists, counting the top-level mapping as 1. A flow
 * needs about 4 (`phases` → phase → `env` → value); the YAML library overflows the
 * stack somewhere past 1,000 levels, less inside a deep caller.
 */
export const MAX_FLOW_DEPTH = 64;

/**
 * Most aliases (`*name`) in one flow. The YAML library looks up each alias by scanning
 * every anchor and alias before it, so their number must be bounded; a flow rarely
 * needs more than a handful, and the library already refuses an anchor used over 100 times.
 */
export const MAX_FLOW_ALIASES = 100;

/**
 * Most problems one validation lists; one more entry says how many were left out. A
 * 1 MiB list of junk has 350,000 problems, 50 MB of JSON for the editor.
 */
export const MAX_FLOW_PROBLEMS = 1000;

/** "1 MiB", "2.5 MiB", "900 KiB", "12 bytes": sizes in messages, with the exact count beside. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB (${bytes} bytes)`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB (${bytes} bytes)`;
  return `${bytes} bytes`;
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}
