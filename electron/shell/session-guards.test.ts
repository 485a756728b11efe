/** The session-wide guards: CSP header, permissions, remote content. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp';
import { installSessionGuards } from './session-guards';
import { FakeSession } from './testing/fake-electron';

const require_resolve = createRequire(import.meta.url).resolve;

function guarded() {
  const session = new FakeSession();
  const logged: string[] = [];
  installSessionGuards(session as never, (line) => logged.push(line));
  return { session, logged };
}

describe('session guards', () => {
  it('adds the CSP to every response, replacing a CSP of any letter case', () => {
    const { session } = guarded();
    let headers: Record<string, string[]> | undefined;
    session.headersListener?.({ url: 'waymark://app/index.html', responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Content-Type-Options': ['nosniff'] });
    session.headersListener?.({ url: 'waymark://app/x.js' }, (r) => (headers = r.responseHeaders));
    expect(headers?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    let devtools: unknown = 'not called';
    session.headersListener?.({ url: 'devtools://devtools/bundled/inspector.html', responseHeaders: { a: ['b'] } }, (r) => (devtools = r));
    expect(devtools).toEqual({});
  });

  it('the CSP allows scripts from the app only, no eval, no inline script, no remote connections', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it("passes Google's CSP evaluator (as used by electronegativity) with no HIGH or MEDIUM finding", () => {
    const require = createRequire(require_resolve('@doyensec/electronegativity/package.json'));
    const csp = require('@doyensec/csp-evaluator') as {
      CspParser: new (text: string) => { csp: unknown };
      CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): { severity: number; directive: string; description: string }[] };
      Version: { CSP3: unknown };
      severities: Record<string, number>;
    };
    const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
    const serious = findings.filter((f) => [csp.severities.HIGH, csp.severities.SYNTAX, csp.severities.MEDIUM, csp.severities.HIGH_MAYBE].includes(f.severity));
    expect(serious).toEqual([]);
  });

  it('denies every permission request and check', () => {
    const { session, logged } = guarded();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.({}, permission, (g) => (granted = g), {});
      expect(granted, permission).toBe(false);
      expect(session.permissionCheckHandler?.({}, permission, 'waymark://app', {}), permission).toBe(false);
    }
    expect(logged[0]).toBe('denied a permission request: media');
  });

  it('cancels requests for remote content and lets app content through', () => {
    const { session } = guarded();
    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      session.beforeRequestListener?.({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(cancelled('waymark://app/assets/index.js')).toBe(false);
    expect(cancelled('devtools://devtools/bundled/inspector.html')).toBe(false);
    expect(cancelled('https://cdn.example.com/lib.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('ws://127.0.0.1:1/')).toBe(true);
  });
});
