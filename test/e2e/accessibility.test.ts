// Accessibility as a test: axe-core audits every main screen of the inspector — sign-in, an empty
// endpoint, the list with a request, each detail tab, the search box's hints and inline error,
// each settings tab, the replay and bulk dialogs — in light and dark mode, on a desktop window
// and on a 390×844 phone, and fails on any serious or critical violation. Each screen is saved as a screenshot under
// test-results/screenshots/a11y/ (look at them: `npx vitest run test/e2e/accessibility.test.ts`).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type TargetServer } from '../support/target-server';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { auditPage, describeViolations, type AxeViolation } from './support/axe';
import { launchChromium, screenshot, watchPage } from './support/browser';
import { seedDeliveries, type Seeded } from './support/seed';
import { SETTINGS_TABS } from '../../web/src/features/endpoint-settings/components/settings-tabs';

interface Mode {
  name: string;
  colorScheme: 'light' | 'dark';
  phone: boolean;
}

const MODES: Mode[] = [
  { name: 'light', colorScheme: 'light', phone: false },
  { name: 'dark', colorScheme: 'dark', phone: false },
  // The phone layout uses the same two palettes: one phone pass keeps the suite's time in bounds.
  { name: 'phone', colorScheme: 'light', phone: true },
];

// Screens after the first audit only what changed: the detail pane, or the open dialog.
const DETAIL = '.detail-pane';

const BODY_LIMIT = 4096; // bytes: small, so an oversize delivery is recorded without its body

describe('accessibility (axe-core, WCAG AA): no serious or critical violation on any screen', () => {
  let server: TestServer;
  let target: TargetServer;
  let browser: Browser;
  let seeded: Seeded;

  beforeAll(async () => {
    server = await startTestServer({ bodyLimit: BODY_LIMIT });
    target = await startTarget();
    seeded = await seedDeliveries(server, BODY_LIMIT * 2);
    for (const build of ['old', 'new']) {
      target.respond((_request, res) => void res.setHeader('content-type', 'application/json').end(JSON.stringify({ build, ok: true })));
      const res = await server.api(`/api/requests/${seeded.push}/replay`, { method: 'POST', json: { url: `${target.url}/hook`, headers: { 'X-Build': build } } });
      if (!res.ok) throw new Error(`replay failed: ${await res.text()}`);
    }
    await server.api('/api/endpoints', { method: 'POST', json: { name: 'Empty endpoint' } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await server?.dispose();
  });

  for (const mode of MODES) {
    it(`${mode.name}: every screen`, { timeout: 240_000 }, async () => { // ms; 28–47 s a mode measured on a loaded 2-core machine
      const context = await browser.newContext({
        colorScheme: mode.colorScheme,
        ...(mode.phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } }),
      });
      try {
        const violations = await auditEveryScreen(context, mode, server, seeded);
        expect(violations, describeViolations(violations)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

async function auditEveryScreen(context: BrowserContext, mode: Mode, server: TestServer, seeded: Seeded): Promise<AxeViolation[]> {
  const found: AxeViolation[] = [];
  const page = await context.newPage();
  const seen = watchPage(page);
  const check = async (screen: string, scope?: string) => {
    await page.waitForTimeout(60); // let layout and transitions settle
    found.push(...(await auditPage(page, screen, scope)));
    await screenshot(page, `a11y/${mode.name}-${screen}`);
  };

  await page.goto(server.url);
  await page.getByLabel('Admin token').waitFor();
  await check('sign-in');

  await page.getByLabel('Admin token').fill(TEST_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('listbox', { name: 'Requests' }).waitFor();
  await openRequest(page, mode, seeded.push);
  await check('list-and-detail');
  for (const tab of [/^Headers/, /^Query/, /^Verification/, /^Replays/]) {
    await page.getByRole('tab', { name: tab }).click();
    await check(`detail-${String(tab.source).replace(/\W/g, '').toLowerCase()}`, DETAIL);
  }
  const history = page.getByTestId('replay-history');
  await history.getByRole('checkbox', { name: 'Compare' }).nth(0).check();
  await history.getByRole('checkbox', { name: 'Compare' }).nth(1).check();
  await page.getByTestId('replay-diff').waitFor();
  await check('detail-replay-diff', DETAIL);

  for (const [name, id] of [['invalid', seeded.invalid], ['gzip', seeded.gzip], ['binary', seeded.binary], ['oversize', seeded.oversize]] as const) {
    await openRequest(page, mode, id);
    if (name === 'invalid') await page.getByRole('tab', { name: /^Verification/ }).click();
    await check(`detail-${name}`, DETAIL);
  }

  await openRequest(page, mode, seeded.push);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await page.getByRole('dialog', { name: 'Replay request' }).waitFor();
  await check('replay-dialog', '[role="dialog"]');
  await page.keyboard.press('Escape');

  if (mode.phone) await page.getByRole('button', { name: 'Back to requests' }).click();
  await page.getByRole('button', { name: /^Replay \d+/ }).click();
  await page.getByRole('dialog', { name: /^Replay \d+ requests?$/ }).waitFor();
  await check('bulk-dialog', '[role="dialog"]');
  await page.keyboard.press('Escape');

  // The search box: its hints as you type, then a mistake shown under it.
  const box = page.getByRole('combobox', { name: 'Search requests' });
  await box.click();
  await box.pressSequentially('sig:');
  await page.getByRole('listbox', { name: 'Search hints' }).waitFor();
  await check('search-hints', '.list-toolbar');
  await box.fill('method:POST colour:red');
  await box.evaluate((input) => (input as HTMLInputElement).blur());
  await page.getByTestId('search-problem').waitFor();
  await check('search-error', '.list-toolbar');
  await box.fill('');
  await box.evaluate((input) => (input as HTMLInputElement).blur());

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: /^Settings/ });
  for (const { label } of SETTINGS_TABS) {
    await dialog.getByRole('tab', { name: label, exact: true }).click();
    if (label === 'Test event') await dialog.getByTestId('test-event-payload').waitFor();
    await check(`settings-${label.toLowerCase().replace(/\W+/g, '-')}`, '[role="dialog"]');
  }
  await page.keyboard.press('Escape');

  if (mode.phone) await page.getByRole('button', { name: 'Show endpoints' }).click();
  await page.getByRole('navigation', { name: 'Endpoints' }).getByText('Empty endpoint').click();
  await page.getByTestId('first-run').waitFor();
  await check('empty-endpoint');

  expect(seen.errors).toEqual([]);
  return found;
}

/** Selects a capture (on a phone: from the list, which then shows its detail). */
async function openRequest(page: Page, mode: Mode, id: string): Promise<void> {
  const back = page.getByRole('button', { name: 'Back to requests' });
  if (mode.phone && (await back.isVisible())) await back.click();
  await page.locator(`[data-capture-id="${id}"]`).click();
  await page.locator(`[data-detail-id="${id}"]`).waitFor();
}
