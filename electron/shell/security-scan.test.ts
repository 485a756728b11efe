/**
 * Electronegativity over electron/ and the built preload (scripts/electronegativity.mjs):
 * no finding of MEDIUM severity or above unless suppressed with a written reason, and no
 * stale suppression. A planted insecure window proves the scan can fail.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Finding {
  id: string;
  file: string;
  line: number;
  severity: string;
  description: string;
}
interface Suppression {
  id: string;
  file?: string;
  reason: string;
}
interface ScanResult {
  findings: Finding[];
  unsuppressed: Finding[];
  staleSuppressions: Suppression[];
  errors: { file: string; message: string }[];
}
interface ScanModule {
  scanElectron(options?: { extraFiles?: Record<string, string> }): Promise<ScanResult>;
  loadSuppressions(): Suppression[];
}

const scanner = () => import(pathToFileURL(resolve('scripts/electronegativity.mjs')).href) as Promise<ScanModule>;
const show = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.id} ${f.file}:${f.line} ${f.description}`).join('\n');

describe('electronegativity scan', () => {
  it('finds nothing at MEDIUM or above that is not suppressed with a reason', async () => {
    const { scanElectron } = await scanner();
    const result = await scanElectron();
    expect(result.errors).toEqual([]);
    expect(show(result.unsuppressed)).toBe('');
    expect(result.staleSuppressions).toEqual([]);
  });

  it('every suppression names its check and file and says why', async () => {
    const { loadSuppressions } = await scanner();
    for (const s of loadSuppressions()) {
      expect(s.id).toMatch(/^[A-Z_]+$/);
      expect(s.file).toMatch(/^(electron|dist)\//);
      expect(s.reason.length).toBeGreaterThan(40);
    }
  });

  it('fails on an insecure window (the scan can fail)', async () => {
    const { scanElectron } = await scanner();
    const canary = `import { BrowserWindow } from 'electron';
export const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });
`;
    const { unsuppressed } = await scanElectron({ extraFiles: { 'electron/shell/canary.ts': canary } });
    const ids = new Set(unsuppressed.filter((f) => f.file === 'electron/shell/canary.ts').map((f) => f.id));
    expect([...ids].sort()).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']));
  });
});
