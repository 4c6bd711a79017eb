import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));
const WEB_BUILD = fileURLToPath(new URL('../../../dist/web/index.html', import.meta.url));

/** Debian's Chromium with the flags this machine needs. Throws (the suite fails, never skips) when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(WEB_BUILD)) throw new Error('the inspector is not built (dist/web): run `npm run build` first');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves a screenshot as a test artifact under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

/** Collects what a page should never do: open a dialog or throw. */
export function watchPage(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

/** Opens the inspector signed in through the `#token=` link the server prints. */
export async function openSignedIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/#token=${encodeURIComponent(token)}`);
  await page.getByRole('listbox', { name: 'Requests' }).or(page.getByTestId('first-run')).first().waitFor();
}

/** Capture ids of the rows the list shows, top to bottom. */
export async function rowIds(page: Page): Promise<string[]> {
  return page.locator('[role="option"][data-capture-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-capture-id') ?? ''));
}
