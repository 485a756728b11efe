import { describe, expect, it } from 'vitest';
import { applyEdit, type FlowEdit } from './edit';
import { parseFlow } from './load';

const SOURCE = `# Release pipeline — edited by hand and by the app.
name: release
phases:
  # Fetch the sources first.
  - id: fetch
    kind: command
    run: git fetch   # keep this comment
  - id: build
    kind: command
    depends_on: [fetch]
    run: make SRC={{phases.fetch.output}}
  - id: test
    kind: command
    depends_on: [build]
    run: make test
`;

function edit(source: string, ...edits: FlowEdit[]): string {
  return edits.reduce((src, e) => {
    const r = applyEdit(src, e);
    if (!r.ok) throw new Error(r.message);
    return r.source;
  }, source);
}

describe('applyEdit', () => {
  it('keeps comments, key order and untouched lines byte for byte', () => {
    const out = edit(SOURCE, { type: 'set-field', phase: 'test', key: 'run', value: 'make check' });
    expect(out).toBe(SOURCE.replace('run: make test', 'run: make check'));
  });

  it('leaves lines it did not edit exactly as written, whatever their spacing', () => {
    const padded = `name: padded\ninputs:\n  who: { default: world }   # padded braces\nphases:\n  - { id: a, kind: command, run: "echo {{inputs.who}}" }\n\n  - id: b\n    kind: command\n    depends_on: [ a ]\n    run: echo b\n`;
    const out = edit(padded, { type: 'set-field', phase: 'b', key: 'run', value: 'echo B' });
    expect(out).toBe(padded.replace('run: echo b', 'run: echo B'));
    const added = edit(padded, { type: 'add-phase', id: 'c', kind: 'command' });
    expect(added.startsWith(padded)).toBe(true);
    expect(added.slice(padded.length)).toBe('  - id: c\n    kind: command\n    run: echo "TODO"\n');
  });

  it('keeps Windows line endings and a missing final newline', () => {
    const crlf = SOURCE.replace(/\n/g, '\r\n');
    expect(edit(crlf, { type: 'set-field', phase: 'test', key: 'run', value: 'make check' })).toBe(crlf.replace('run: make test', 'run: make check'));
    const bare = SOURCE.slice(0, -1);
    expect(edit(bare, { type: 'set-field', phase: 'test', key: 'run', value: 'make check' })).toBe(bare.replace('run: make test', 'run: make check'));
  });

  it('adds a phase of any kind with the fields its schema requires, valid at once', () => {
    const out = edit(SOURCE, { type: 'add-phase', id: 'notes', kind: 'agent' }, { type: 'add-dependency', phase: 'notes', dependsOn: 'test' });
    expect(out).toContain('  - id: notes\n    kind: agent\n    prompt: Describe the task for the model.\n    depends_on: [test]\n');
    const loaded = parseFlow(out.replace('name: release', 'name: release\ndefaults: { model: "openai:gpt-4o-mini" }'));
    expect(loaded.ok).toBe(true);
  });

  it('refuses a dependency that would make a cycle, with the cycle path', () => {
    const r = applyEdit(SOURCE, { type: 'add-dependency', phase: 'fetch', dependsOn: 'test' });
    expect(r).toEqual({ ok: false, message: '"fetch" cannot depend on "test": that would make a cycle (fetch → build → test → fetch)' });
    expect(applyEdit(SOURCE, { type: 'add-dependency', phase: 'fetch', dependsOn: 'fetch' }).ok).toBe(false);
  });

  it('adds phases as a block list after every phase was deleted', () => {
    const single = 'name: one\nphases:\n  - id: a\n    kind: command\n    run: x\n';
    const empty = edit(single, { type: 'delete-phase', id: 'a' });
    expect(empty).toBe('name: one\nphases: []\n');
    expect(edit(empty, { type: 'add-phase', id: 'b', kind: 'command' })).toBe('name: one\nphases:\n  - id: b\n    kind: command\n    run: echo "TODO"\n');
  });

  it('deletes a phase and removes it from its dependents', () => {
    const out = edit(SOURCE, { type: 'delete-phase', id: 'build' });
    expect(out).not.toContain('id: build');
    expect(out).toContain('  - id: test\n    kind: command\n    run: make test\n');
    expect(out).toContain('# keep this comment');
  });

  it('renames a phase everywhere: id, depends_on, templates and layout', () => {
    const withLayout = edit(SOURCE, { type: 'move-phases', positions: { fetch: { x: 10.4, y: 20 } } });
    const out = edit(withLayout, { type: 'rename-phase', from: 'fetch', to: 'checkout' });
    expect(out).toContain('  - id: checkout\n');
    expect(out).toContain('depends_on: [checkout]');
    expect(out).toContain('run: make SRC={{phases.checkout.output}}');
    expect(out).toContain('  checkout: {x: 10, y: 20}');
    expect(out).not.toMatch(/\bfetch:/);
    expect(parseFlow(out).ok).toBe(true);
  });

  it('refuses a rename to an invalid or taken id', () => {
    expect(applyEdit(SOURCE, { type: 'rename-phase', from: 'fetch', to: 'Bad Id' })).toMatchObject({ ok: false });
    expect(applyEdit(SOURCE, { type: 'rename-phase', from: 'fetch', to: 'build' })).toEqual({ ok: false, message: 'a phase "build" already exists' });
  });

  it('removes a dependency edge, dropping an empty depends_on', () => {
    const out = edit(SOURCE, { type: 'remove-dependency', phase: 'test', dependsOn: 'build' });
    expect(out).toContain('  - id: test\n    kind: command\n    run: make test\n');
  });

  it('keeps node positions under a layout key the loader accepts', () => {
    const out = edit(SOURCE, { type: 'move-phases', positions: { fetch: { x: 0, y: 0 }, test: { x: 300, y: 120 } } });
    expect(out).toContain('# Editor node positions');
    const loaded = parseFlow(out);
    expect(loaded.ok && loaded.flow.layout).toEqual({ fetch: { x: 0, y: 0 }, test: { x: 300, y: 120 } });
    expect(edit(out, { type: 'delete-phase', id: 'fetch' })).not.toContain('fetch: {');
  });

  it('sets and clears fields, creating lists as needed', () => {
    const out = edit(SOURCE, { type: 'set-field', phase: 'test', key: 'retry', value: { attempts: 3 } }, { type: 'set-field', phase: 'test', key: 'optional', value: true });
    const loaded = parseFlow(out);
    expect(loaded.ok && loaded.flow.phases.find((p) => p.id === 'test')).toMatchObject({ retry: { attempts: 3 }, optional: true });
    expect(edit(out, { type: 'set-field', phase: 'test', key: 'optional', value: undefined })).not.toContain('optional');
  });

  it('writes a new list of names in flow style, and keeps the style of a list it replaces', () => {
    const agent = edit(SOURCE, { type: 'add-phase', id: 'notes', kind: 'agent' }, { type: 'set-field', phase: 'notes', key: 'tools', value: ['read_file', 'write_file'] });
    expect(agent).toContain('    tools: [read_file, write_file]\n');
    const block = SOURCE.replace('depends_on: [build]', 'depends_on:\n      - build');
    expect(edit(block, { type: 'set-field', phase: 'test', key: 'depends_on', value: ['build', 'fetch'] })).toContain('    depends_on:\n      - build\n      - fetch\n');
  });

  it('writes text of several lines as a | block, which reads back the same', () => {
    const prompt = 'First line: with a colon\n  indented "quoted"\nlast line';
    const out = edit(SOURCE, { type: 'add-phase', id: 'notes', kind: 'agent' }, { type: 'set-field', phase: 'notes', key: 'prompt', value: prompt }, { type: 'set-field', phase: 'test', key: 'run', value: 'make\nmake test' });
    expect(out).toContain('    prompt: |-\n      First line: with a colon\n');
    expect(out).toContain('    run: |-\n      make\n      make test\n');
    const loaded = parseFlow(out.replace('name: release', 'name: release\ndefaults: { model: "openai:gpt-4o-mini" }'));
    expect(loaded.ok && loaded.flow.phases.find((p) => p.id === 'notes')).toMatchObject({ prompt });
  });

  it('never folds or re-wraps long untouched strings', () => {
    const long = `phases:\n  - id: a\n    kind: command\n    run: echo ${'word '.repeat(40).trim()}\n`;
    expect(edit(long, { type: 'add-phase', id: 'b', kind: 'command' })).toContain(long.split('\n')[3] as string);
  });

  it('refuses to edit a file with a YAML syntax error', () => {
    expect(applyEdit('phases: [', { type: 'delete-phase', id: 'a' })).toMatchObject({ ok: false, message: expect.stringContaining('YAML syntax') });
  });
});
