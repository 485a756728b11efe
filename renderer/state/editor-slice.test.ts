import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, currentSource, HISTORY_LIMIT, isDirty } from './editor-slice';
import { createWaymarkStore } from './store';

const SOURCE = `# Build, then test.
name: demo
phases:
  - id: build
    kind: command
    run: make
  - id: test
    kind: command
    depends_on: [build]
    run: make test
`;

function opened(source = SOURCE) {
  const store = createWaymarkStore();
  store.getState().editorOpen({ path: 'demo.yaml', source, mtimeMs: 100 });
  const s = () => store.getState();
  const text = () => currentSource(s().editorDoc!);
  return { store, s, text };
}

describe('editor slice', () => {
  it('applies an edit, undoes it and redoes it; unsaved only while the text differs from the file', () => {
    const { s, text } = opened();
    expect(isDirty(s().editorDoc)).toBe(false);
    expect(s().editorApply({ type: 'set-field', phase: 'test', key: 'run', value: 'make check' })).toBe(true);
    expect(text()).toBe(SOURCE.replace('run: make test', 'run: make check'));
    expect(isDirty(s().editorDoc)).toBe(true);
    expect(canUndo(s().editorDoc)).toBe(true);
    s().editorUndo();
    expect(text()).toBe(SOURCE);
    expect(isDirty(s().editorDoc)).toBe(false);
    expect(canRedo(s().editorDoc)).toBe(true);
    s().editorRedo();
    expect(text()).toContain('run: make check');
    expect(isDirty(s().editorDoc)).toBe(true);
  });

  it('a new edit after undo drops the redo tail', () => {
    const { s, text } = opened();
    s().editorApply({ type: 'add-phase', id: 'lint', kind: 'command' });
    s().editorUndo();
    s().editorApply({ type: 'add-phase', id: 'docs', kind: 'command' });
    expect(canRedo(s().editorDoc)).toBe(false);
    expect(text()).toContain('id: docs');
    expect(text()).not.toContain('id: lint');
  });

  it('typing into one field is one undo step, until the field loses focus', () => {
    const { s, text } = opened();
    for (const value of ['m', 'ma', 'mak', 'make all']) s().editorApply({ type: 'set-field', phase: 'build', key: 'run', value }, 'field:build:run');
    expect(s().editorDoc?.history).toHaveLength(2);
    s().editorBreakCoalescing();
    s().editorApply({ type: 'set-field', phase: 'build', key: 'run', value: 'make all -j4' }, 'field:build:run');
    s().editorApply({ type: 'set-field', phase: 'test', key: 'run', value: 'make t' }, 'field:test:run');
    expect(s().editorDoc?.history).toHaveLength(4);
    s().editorUndo();
    s().editorUndo();
    expect(text()).toContain('run: make all\n');
    s().editorUndo();
    expect(text()).toBe(SOURCE);
  });

  it('a refused edit changes nothing and says why', () => {
    const { s, text } = opened();
    expect(s().editorApply({ type: 'add-dependency', phase: 'build', dependsOn: 'test' })).toBe(false);
    expect(text()).toBe(SOURCE);
    expect(s().editorDoc?.history).toHaveLength(1);
    expect(s().editorMessage).toEqual({ tone: 'error', text: '"build" cannot depend on "test": that would make a cycle (build → test → build)' });
    s().editorApply({ type: 'add-phase', id: 'lint', kind: 'command' });
    expect(s().editorMessage).toBeNull();
  });

  it('applies several edits as one undo step, or none of them when one is refused', () => {
    const { s, text } = opened();
    s().editorApply([{ type: 'add-phase', id: 'lint', kind: 'command' }, { type: 'add-dependency', phase: 'lint', dependsOn: 'build' }]);
    expect(text()).toContain('  - id: lint\n    kind: command\n    run: echo "TODO"\n    depends_on: [build]\n');
    s().editorUndo();
    expect(text()).toBe(SOURCE);
    expect(s().editorApply([{ type: 'add-phase', id: 'x', kind: 'command' }, { type: 'delete-phase', id: 'nope' }])).toBe(false);
    expect(text()).toBe(SOURCE);
  });

  it('saving clears the unsaved mark; undoing past the save marks it again', () => {
    const { s, text } = opened();
    s().editorApply({ type: 'set-field', phase: 'test', key: 'run', value: 'make check' });
    s().editorSaved({ source: text(), mtimeMs: 200 });
    expect(isDirty(s().editorDoc)).toBe(false);
    expect(s().editorDoc?.mtimeMs).toBe(200);
    s().editorUndo();
    expect(isDirty(s().editorDoc)).toBe(true);
    s().editorRedo();
    expect(isDirty(s().editorDoc)).toBe(false);
  });

  it('a new file is unsaved until it is written', () => {
    const store = createWaymarkStore();
    store.getState().editorOpen({ path: 'new.yaml', source: SOURCE, mtimeMs: 0 }, { isNew: true });
    expect(isDirty(store.getState().editorDoc)).toBe(true);
    store.getState().editorSaved({ source: SOURCE, mtimeMs: 5 });
    expect(isDirty(store.getState().editorDoc)).toBe(false);
  });

  it('the selection follows a renamed phase and goes with a deleted one', () => {
    const { s } = opened();
    s().editorSelect({ type: 'phase', id: 'build' });
    s().editorApply({ type: 'rename-phase', from: 'build', to: 'compile' });
    expect(s().editorSelection).toEqual({ type: 'phase', id: 'compile' });
    s().editorSelect({ type: 'edge', from: 'compile', to: 'test' });
    s().editorApply({ type: 'remove-dependency', phase: 'test', dependsOn: 'compile' });
    expect(s().editorSelection).toBeNull();
    s().editorSelect({ type: 'phase', id: 'test' });
    s().editorApply({ type: 'delete-phase', id: 'test' });
    expect(s().editorSelection).toBeNull();
  });

  it('drops a resume preview when the text changes (it was computed for the saved text)', () => {
    const { s } = opened();
    s().editorSetPreview({ runId: 'run001', preview: { reused: ['build'], frontier: ['test'], rerun: [{ id: 'test', reason: 'failed-before' }] } });
    s().editorSelect({ type: 'phase', id: 'build' });
    expect(s().editorPreview).not.toBeNull();
    s().editorApply({ type: 'set-field', phase: 'build', key: 'run', value: 'make -j2' });
    expect(s().editorPreview).toBeNull();
  });

  it('keeps at most HISTORY_LIMIT undo steps', () => {
    const { s } = opened();
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) s().editorSetSource(`${SOURCE}# ${i}\n`);
    expect(s().editorDoc?.history).toHaveLength(HISTORY_LIMIT);
    expect(s().editorDoc?.index).toBe(HISTORY_LIMIT - 1);
  });
});

describe('editor spots (where click-added phases wait for a position)', () => {
  it('keeps a spot through renames, outside undo, and clears it when a file is opened', () => {
    const { s } = opened();
    s().editorApply({ type: 'add-phase', id: 'command_1', kind: 'command' });
    s().editorSetSpot('command_1', { x: 40, y: 400 });
    s().editorApply({ type: 'rename-phase', from: 'command_1', to: 'lint' });
    expect(s().editorSpots.get('lint')).toEqual({ x: 40, y: 400 });
    s().editorApply({ type: 'set-field', phase: 'lint', key: 'id', value: 'check' });
    expect(s().editorSpots.get('check')).toEqual({ x: 40, y: 400 });
    s().editorUndo();
    expect(s().editorSpots.get('lint')).toEqual({ x: 40, y: 400 });
    s().editorOpen({ path: 'other.yaml', source: SOURCE, mtimeMs: 1 });
    expect(s().editorSpots.size).toBe(0);
  });
});
