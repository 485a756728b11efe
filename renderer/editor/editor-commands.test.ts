import { describe, expect, it, vi } from 'vitest';
import { ApiError, type FlowDocument, type WaymarkApi } from '../../shared/api';
import { currentSource, isDirty } from '../state/editor-slice';
import { createWaymarkStore } from '../state/store';
import { createEditorCommands } from './editor-commands';

const SOURCE = 'name: demo\nphases:\n  - id: build\n    kind: command\n    run: make\n';

function setup(api: Partial<WaymarkApi>) {
  const store = createWaymarkStore();
  store.getState().editorOpen({ path: 'demo.yaml', source: SOURCE, mtimeMs: 100 });
  return { store, s: () => store.getState(), commands: createEditorCommands(api as WaymarkApi, store) };
}

const savedDoc = (source: string, mtimeMs: number): FlowDocument => ({ path: 'demo.yaml', source, mtimeMs, flow: null, problems: [] });

describe('editor commands', () => {
  it('saves with the mtime it opened, and the file is no longer unsaved', async () => {
    const save = vi.fn(async ({ source }: { source: string }) => savedDoc(source, 200));
    const { s, commands } = setup({ 'flows.save': save as unknown as WaymarkApi['flows.save'] });
    expect(await commands.save()).toBe('unchanged');
    s().editorApply({ type: 'set-field', phase: 'build', key: 'run', value: 'make all' });
    expect(await commands.save()).toBe('saved');
    expect(save).toHaveBeenCalledWith({ path: 'demo.yaml', source: currentSource(s().editorDoc!), expectedMtimeMs: 100, overwrite: false });
    expect(isDirty(s().editorDoc)).toBe(false);
    expect(s().editorDoc?.mtimeMs).toBe(200);
  });

  it('asks the host for a file with the OS dialog: the chosen path, or null when cancelled', async () => {
    let answer: { path: string } | null = { path: '/home/ada/flows/picked.yaml' };
    const { commands } = setup({ 'flows.pick': async () => answer });
    expect(await commands.pickFlow()).toBe('/home/ada/flows/picked.yaml');
    answer = null;
    expect(await commands.pickFlow()).toBeNull();
  });

  it('never sends an invalid flow', async () => {
    const save = vi.fn();
    const { s, commands } = setup({ 'flows.save': save });
    s().editorApply({ type: 'set-field', phase: 'build', key: 'run', value: '' });
    expect(await commands.save()).toBe('invalid');
    expect(save).not.toHaveBeenCalled();
    expect(s().editorMessage?.text).toMatch(/^Not saved: the flow has 1 problem/);
  });

  it('reports a file changed on disk as a conflict, and overwrites when asked', async () => {
    const save = vi.fn(async ({ overwrite, source }: { overwrite?: boolean; source: string }) => {
      if (!overwrite) throw new ApiError({ code: 'FLOW_CHANGED', message: 'changed on disk' });
      return savedDoc(source, 300);
    });
    const { s, commands } = setup({ 'flows.save': save as unknown as WaymarkApi['flows.save'] });
    s().editorApply({ type: 'add-phase', id: 'lint', kind: 'command' });
    expect(await commands.save()).toBe('conflict');
    expect(isDirty(s().editorDoc)).toBe(true);
    expect(await commands.save({ overwrite: true })).toBe('saved');
    expect(isDirty(s().editorDoc)).toBe(false);
  });

  it('saves before previewing a resume (the preview reads the file), then resumes the previewed run', async () => {
    const calls: string[] = [];
    const preview = { reused: [], frontier: ['build'], rerun: [{ id: 'build', reason: 'changed' as const }] };
    const { s, commands } = setup({
      'flows.save': (async ({ source }: { source: string }) => (calls.push('save'), savedDoc(source, 200))) as unknown as WaymarkApi['flows.save'],
      'runs.previewResume': async () => (calls.push('preview'), preview),
      'runs.resume': async ({ runId }) => (calls.push(`resume ${runId}`), { runId }),
    });
    s().editorApply({ type: 'set-field', phase: 'build', key: 'run', value: 'make all' });
    expect(await commands.previewResume('run001')).toBe('saved');
    expect(s().editorPreview).toEqual({ runId: 'run001', preview });
    expect(await commands.confirmResume()).toBe('run001');
    expect(calls).toEqual(['save', 'preview', 'resume run001']);
    expect(s().editorPreview).toBeNull();
  });
});
