/** What the app must tell the user whatever view is open: connection, store failures, refused actions. */
import type { ConnectionStatus } from '../api/ws-client';
import type { SliceCreator } from './types';

export type ConnectionState = ConnectionStatus;

export interface Notice {
  id: number;
  kind: 'store-failed' | 'action-failed';
  message: string;
  runId?: string;
}

export interface BannersSlice {
  connection: ConnectionState;
  notices: readonly Notice[];
  setConnection(state: ConnectionState): void;
  notify(notice: Omit<Notice, 'id'>): void;
  dismissNotice(id: number): void;
  /** Drops the notices of one kind about one run (a store that recovered). */
  clearNotices(kind: Notice['kind'], runId: string): void;
}

const MAX_NOTICES = 5;
let nextId = 1;

export const createBannersSlice: SliceCreator<BannersSlice> = (set) => ({
  connection: 'open',
  notices: [],
  setConnection: (connection) => set((s) => (s.connection === connection ? s : { connection })),
  notify: (notice) =>
    set((s) => {
      const same = s.notices.find((n) => n.kind === notice.kind && n.message === notice.message && n.runId === notice.runId);
      if (same) return s;
      return { notices: [...s.notices, { ...notice, id: nextId++ }].slice(-MAX_NOTICES) };
    }),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  clearNotices: (kind, runId) => set((s) => ({ notices: s.notices.filter((n) => n.kind !== kind || n.runId !== runId) })),
});
