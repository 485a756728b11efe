/**
 * The contract's channel names, for the preload. In the bundle this module is replaced
 * by a literal array evaluated from `shared/api.ts` at build time
 * (scripts/build-electron.mjs), so the sandboxed preload stays a few kilobytes instead
 * of carrying zod and every request schema. Type checks and tests use the table itself.
 */
export { CHANNELS } from '../../shared/api';
