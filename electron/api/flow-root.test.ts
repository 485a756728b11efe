import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasErrorCode } from '../../shared/errors';
import { createFlowRoot, isInside } from './flow-root';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-root-'));
  mkdirSync(join(dir, 'root', 'sub'), { recursive: true });
  mkdirSync(join(dir, 'root-sibling'));
  writeFileSync(join(dir, 'root-sibling', 'x.yaml'), '');
  symlinkSync(join(dir, 'root-sibling'), join(dir, 'root', 'link-out'));
  symlinkSync(join(dir, 'root', 'sub'), join(dir, 'root', 'link-in'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('flow root', () => {
  it('knows inside from a sibling that shares a prefix', () => {
    expect(isInside('/a/root', '/a/root')).toBe(true);
    expect(isInside('/a/root', '/a/root/x.yaml')).toBe(true);
    expect(isInside('/a/root', '/a/root-sibling/x.yaml')).toBe(false);
    expect(isInside('/a/root', '/a')).toBe(false);
    expect(isInside('/a/root', '/a/root/..x/y')).toBe(true);
  });

  it('resolves paths inside, including ones that do not exist yet and links that stay inside', () => {
    const root = createFlowRoot(join(dir, 'root'));
    expect(root.resolve('sub/new.yaml')).toBe(join(root.dir, 'sub', 'new.yaml'));
    expect(root.resolve('link-in/new.yaml')).toBe(join(root.dir, 'link-in', 'new.yaml'));
    expect(root.display(join(root.dir, 'sub', 'a.yaml'))).toBe('sub/a.yaml');
  });

  it('refuses .., outside absolute paths, a sibling with the same prefix, and links out', () => {
    const root = createFlowRoot(join(dir, 'root'));
    for (const path of ['..', '../root-sibling/x.yaml', 'sub/../../x', join(dir, 'root-sibling', 'x.yaml'), 'link-out/x.yaml', 'link-out/missing/deeper.yaml']) {
      let error: unknown;
      try {
        root.resolve(path);
      } catch (err) {
        error = err;
      }
      expect(hasErrorCode(error, 'INVALID_REQUEST'), path).toBe(true);
    }
  });

  it('takes any path when not confined (the desktop app)', () => {
    const root = createFlowRoot(join(dir, 'root'), { confine: false });
    expect(root.resolve(join(dir, 'root-sibling', 'x.yaml'))).toBe(join(dir, 'root-sibling', 'x.yaml'));
  });

  it('reports a missing folder as a usage error', () => {
    expect(() => createFlowRoot(join(dir, 'nope'))).toThrow(/does not exist/);
    expect(() => createFlowRoot(join(dir, 'root-sibling', 'x.yaml'))).toThrow(/not a folder/);
  });
});
