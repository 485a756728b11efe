/** Resolves a run's inputs from what the user passed and the flow's defaults. */
import { WaymarkError } from '../../shared/errors';
import type { Flow } from '../../shared/flow/schema';

export function resolveInputs(flow: Flow, given: Readonly<Record<string, string>>): Record<string, string> {
  const declared = Object.keys(flow.inputs);
  const unknown = Object.keys(given).filter((k) => !declared.includes(k));
  if (unknown.length > 0) {
    const list = declared.length > 0 ? `it declares: ${declared.join(', ')}` : 'it declares no inputs';
    throw new WaymarkError('INPUT_MISSING', `flow "${flow.name}" has no input ${unknown.map((k) => `"${k}"`).join(', ')} (${list})`);
  }
  const inputs: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, decl] of Object.entries(flow.inputs)) {
    // Own keys only: an input may be named "constructor" or "toString".
    const value = (Object.hasOwn(given, name) ? given[name] : undefined) ?? decl.default;
    if (value === undefined) missing.push(name);
    else inputs[name] = value;
  }
  if (missing.length > 0) {
    throw new WaymarkError('INPUT_MISSING', `flow "${flow.name}" needs ${missing.map((m) => `"${m}"`).join(', ')}: pass ${missing.map((m) => `--input ${m}=VALUE`).join(' ')}`);
  }
  return inputs;
}

/** Parses `k=v` command-line pairs. */
export function parseInputPairs(pairs: readonly string[]): Record<string, string> {
  const entries = pairs.map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new WaymarkError('USAGE', `--input expects NAME=VALUE, got "${pair}"`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  // fromEntries defines own properties, so "__proto__=x" is reported as an unknown input, not swallowed.
  return Object.fromEntries(entries);
}
