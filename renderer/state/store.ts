/**
 * The one zustand store, made of typed slices (STYLE rule 13). Components select the
 * smallest value they need; `apply-event.ts` is the only module that turns API events
 * into store actions.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createBannersSlice, type BannersSlice } from './banners-slice';
import { createEditorSlice, type EditorSlice } from './editor-slice';
import { createGraphSlice, type GraphSlice } from './graph-slice';
import { createInspectorSlice, type InspectorSlice } from './inspector-slice';
import { createLiveLogsSlice, type LiveLogsSlice } from './live-logs-slice';
import { createRunViewSlice, type RunViewSlice } from './run-view-slice';
import { createRunsSlice, type RunsSlice } from './runs-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createTriesSlice, type TriesSlice } from './tries-slice';

export type WaymarkState = RunsSlice & RunViewSlice & InspectorSlice & BannersSlice & EditorSlice & SettingsSlice & GraphSlice & LiveLogsSlice & TriesSlice;
export type WaymarkStore = StoreApi<WaymarkState>;

export function createWaymarkStore(): WaymarkStore {
  return createStore<WaymarkState>()((...a) => ({
    ...createRunsSlice(...a),
    ...createRunViewSlice(...a),
    ...createInspectorSlice(...a),
    ...createLiveLogsSlice(...a),
    ...createBannersSlice(...a),
    ...createEditorSlice(...a),
    ...createSettingsSlice(...a),
    ...createGraphSlice(...a),
    ...createTriesSlice(...a),
  }));
}

/** The app's store. Tests create their own with `createWaymarkStore()`. */
export const appStore = createWaymarkStore();

export function useWaymark<T>(selector: (state: WaymarkState) => T): T {
  return useStore(appStore, selector);
}
