/**
 * The environment a model's shell commands see: the phase's environment without
 * provider keys and without anything that looks like a credential, so a prompt-injected
 * `env` or `curl` cannot exfiltrate them.
 */

/** Variable names treated as secrets: *_API_KEY, *_TOKEN, *SECRET*, *PASSWORD*, *_ACCESS_KEY*. */
export function isSecretName(name: string): boolean {
  const n = name.toUpperCase();
  return n.endsWith('_API_KEY') || n === 'API_KEY' || n.endsWith('_TOKEN') || n === 'TOKEN' || n.includes('SECRET') || n.includes('PASSWORD') || n.includes('_ACCESS_KEY');
}

export function commandEnv(env: Readonly<NodeJS.ProcessEnv>, providerKeyNames: readonly string[]): NodeJS.ProcessEnv {
  const strip = new Set(providerKeyNames.map((n) => n.toUpperCase()));
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || strip.has(name.toUpperCase()) || isSecretName(name)) continue;
    out[name] = value;
  }
  return out;
}
