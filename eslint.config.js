// Layering (STYLE rule 1): each folder may import only what its process can load.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only electron/shell, electron/transport/ipc-main.ts and the preload may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only the Electron shell may import electron.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'release/', 'test-results/', 'playwright-report/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'shared/ is pure TypeScript.' }],
        patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'react', 'react-dom', '**/electron/**', '**/renderer/**'], message: 'shared/ is pure TypeScript: no Node, DOM, React or electron.' }],
      }],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/store/**/*.ts', 'electron/api/**/*.ts', 'electron/cli/**/*.ts', 'electron/settings/**/*.ts', 'electron/paths.ts', 'electron/transport/ws-*.ts', 'electron/transport/in-memory.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        ...electronOnlyInShell,
        patterns: [...electronOnlyInShell.patterns, { group: ['**/renderer/**', '**/shell/**'], message: 'The engine must not depend on the UI or the shell.' }],
      }],
    },
  },
  {
    // Settings code takes safeStorage as a parameter; its tests borrow the shell's stand-in.
    files: ['electron/settings/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInShell] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to the main process only through window.waymark.' }],
        patterns: [{ group: ['node:*', '**/electron/**'], message: 'The renderer is DOM only: use the WaymarkApi object.' }],
      }],
    },
  },
);
