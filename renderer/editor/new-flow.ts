/** "New flow": the file name the user typed, checked, and the minimal valid flow it starts from. */

/**
 * The path to create for what the user typed: relative to the flow folder, `.yaml`
 * added when there is no extension. A message instead when the name cannot be used.
 */
export function newFlowPath(typed: string, existing: readonly string[]): { path: string } | { error: string } {
  const name = typed.trim().replace(/\\/g, '/');
  if (!name) return { error: 'Type a file name, like my-flow.yaml.' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return { error: 'Use a path inside the flow folder, like my-flow.yaml or team/my-flow.yaml.' };
  const parts = name.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) return { error: 'Folder and file names may not be empty or start with a dot.' };
  const file = parts[parts.length - 1] as string;
  const path = /\.(ya?ml)$/i.test(file) ? name : /\.[^.]+$/.test(file) ? null : `${name}.yaml`;
  if (path === null) return { error: 'A flow file ends in .yaml or .yml.' };
  if (existing.includes(path)) return { error: `${path} already exists: open it instead.` };
  return { path };
}

/** The flow name a file name suggests: `team/Deploy Docs.yaml` → `deploy-docs`. */
export function flowNameFor(path: string): string {
  const base = (path.split('/').pop() as string).replace(/\.(ya?ml)$/i, '');
  return base.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'flow';
}

/**
 * The text of a new flow: valid as it is (one command phase), with a default model so
 * agent phases added from the palette are valid at once.
 */
export function newFlowSource(path: string): string {
  const name = flowNameFor(path);
  return `# ${name}: created in the Waymark editor.
name: ${name}
defaults:
  model: openai:gpt-4o-mini
phases:
  - id: start
    kind: command
    run: echo "hello from ${name}"
`;
}
