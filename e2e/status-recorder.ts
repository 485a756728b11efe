/**
 * Records every `data-status` a phase node shows, in the page, with a MutationObserver:
 * a test can then check the whole sequence (pending → running → succeeded), not just
 * the last state it happened to see.
 */
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __statusLog?: Record<string, string[]>;
  }
}

export async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: Record<string, string[]> = {};
    window.__statusLog = log;
    const note = (el: Element) => {
      const id = el.getAttribute('data-testid');
      const status = el.getAttribute('data-status');
      if (!id?.startsWith('phase-node-') || !status) return;
      const seen = (log[id.slice('phase-node-'.length)] ??= []);
      if (seen[seen.length - 1] !== status) seen.push(status);
    };
    document.querySelectorAll('[data-testid^="phase-node-"]').forEach(note);
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') note(r.target as Element);
        r.addedNodes.forEach((n) => {
          if (n instanceof Element) [n, ...n.querySelectorAll('[data-testid^="phase-node-"]')].forEach(note);
        });
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
}

export async function statusLog(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => window.__statusLog ?? {});
}
