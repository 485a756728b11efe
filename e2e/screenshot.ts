/**
 * Screenshots for the docs, shared by the e2e specs: into docs/screenshots with
 * WAYMARK_SCREENSHOTS=1 (to refresh them), else into the test's output folder, so every
 * run still checks that the view renders. Fonts are loaded first, and where a graph is
 * shown its viewport has stopped moving (a layout pans it into place), so a picture
 * never catches a pan midway.
 */
import { join } from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';

const DOCS = join(import.meta.dirname, '..', 'docs', 'screenshots');

export async function shoot(page: Page, info: Pick<TestInfo, 'outputPath'>, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await graphAtRest(page);
  const file = `${name}.png`;
  const path = process.env.WAYMARK_SCREENSHOTS === '1' ? join(DOCS, file) : info.outputPath(file);
  await page.screenshot({ path, animations: 'disabled' });
}

/** The page in light and in dark (`NAME.png`, `NAME-dark.png`), then back to light. */
export async function shootBothSchemes(page: Page, info: Pick<TestInfo, 'outputPath'>, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await shoot(page, info, `${name}${scheme === 'dark' ? '-dark' : ''}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Waits until the graph's viewport (if one is shown) keeps its transform between two looks. */
async function graphAtRest(page: Page): Promise<void> {
  const transform = () => page.evaluate(() => document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '');
  let last = await transform();
  await expect
    .poll(
      async () => {
        const now = await transform();
        const still = now === last;
        last = now;
        return still;
      },
      { intervals: [150] },
    )
    .toBe(true);
}
