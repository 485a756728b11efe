/** The shape every slice creator has: it sees the whole state, returns its own part. */
import type { StateCreator } from 'zustand';
import type { WaymarkState } from './store';

export type SliceCreator<S> = StateCreator<WaymarkState, [], [], S>;
