import { describe, expect, it } from 'vitest';
import { ApiError, type SettingsStatus, type WaymarkApi } from '../../shared/api';
import { createWaymarkStore } from '../state/store';
import { createSettingsCommands } from './settings-commands';

const status = (source: 'stored' | 'missing'): SettingsStatus => ({ storage: 'encrypted', writable: true, keys: [{ name: 'OPENAI_API_KEY', source, inEnvironment: false }] });

describe('settings commands', () => {
  it('keeps the status the API answers, never the value it sent', async () => {
    const store = createWaymarkStore();
    const api = {
      'settings.get': async () => status('missing'),
      'settings.setKey': async () => status('stored'),
      'settings.clearKey': async () => status('missing'),
    } as unknown as WaymarkApi;
    const commands = createSettingsCommands(api, store);
    await commands.load();
    expect(store.getState().settings?.keys[0]?.source).toBe('missing');
    expect(await commands.setKey('OPENAI_API_KEY', 'sk-secret')).toBe(true);
    expect(store.getState().settings?.keys[0]?.source).toBe('stored');
    expect(JSON.stringify(store.getState())).not.toContain('sk-secret');
    expect(store.getState().settingsBusy).toBeNull();
    expect(await commands.clearKey('OPENAI_API_KEY')).toBe(true);
    expect(store.getState().settings?.keys[0]?.source).toBe('missing');
  });

  it('saves the database setting and keeps the answer, which never holds a password', async () => {
    const store = createWaymarkStore();
    const saved = { ...status('missing'), database: { inUse: '/data/waymark.db', source: 'default', setting: 'postgres://team@db:5432/waymark', restartNeeded: true, writable: true } };
    const sent: unknown[] = [];
    const api = { 'settings.setDatabase': async (req: unknown) => (sent.push(req), saved) } as unknown as WaymarkApi;
    expect(await createSettingsCommands(api, store).setDatabase('postgres://team:pw@db:5432/waymark')).toBe(true);
    expect(sent).toEqual([{ database: 'postgres://team:pw@db:5432/waymark' }]);
    expect(store.getState().settings?.database).toMatchObject({ setting: 'postgres://team@db:5432/waymark', restartNeeded: true });
    expect(JSON.stringify(store.getState())).not.toContain(':pw@');
  });

  it('shows a refusal (serve mode) as an error and keeps the status', async () => {
    const store = createWaymarkStore();
    const api = {
      'settings.get': async () => ({ storage: 'environment', writable: false, notice: 'read-only', keys: [] }),
      'settings.setKey': async () => {
        throw new ApiError({ code: 'USAGE', message: 'In serve mode, API keys are read from the environment' });
      },
    } as unknown as WaymarkApi;
    const commands = createSettingsCommands(api, store);
    await commands.load();
    expect(await commands.setKey('OPENAI_API_KEY', 'x')).toBe(false);
    expect(store.getState().settingsError).toBe('Could not store OPENAI_API_KEY: In serve mode, API keys are read from the environment');
    expect(store.getState().settings?.storage).toBe('environment');
  });
});
