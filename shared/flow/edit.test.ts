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
  it('keeps comments, key order and untouched formatting (only space before an inline comment is normalised)', () => {
    const out = edit(SOURCE, { type: 'set-field', phase: 'test', key: 'run', value: 'make check' });
    expect(out).toBe(SOURCE.replace('run: make test', 'run: make check').replace('git fetch   #', 'git fetch #'));
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

  it('never folds or re-wraps long untouched strings', () => {
    const long = `phases:\n  - id: a\n    kind: command\n    run: echo ${'word '.repeat(40).trim()}\n`;
    expect(edit(long, { type: 'add-phase', id: 'b', kind: 'command' })).toContain(long.split('\n')[3] as string);
  });

  it('refuses to edit a file with a YAML syntax error', () => {
    expect(applyEdit('phases: [', { type: 'delete-phase', id: 'a' })).toMatchObject({ ok: false, message: expect.stringContaining('YAML syntax') });
  });
});
