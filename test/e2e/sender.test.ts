// The sender's side in the inspector: a delivery a platform-like sender retried shows its
// timeline and the schedule it followed; the Rules tab edits rules and tries a sample request
// against them (nothing stored); the Alerts tab lists the messages sent. Light, dark and phone.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWithRetries } from '../support/retrying-sender';
import { startTarget, type TargetServer } from '../support/target-server';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { launchChromium, openSignedIn, screenshot, watchPage } from './support/browser';

describe('retry timeline, rules and alerts in the inspector', () => {
  let server: TestServer;
  let receiver: TargetServer;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let lastId = '';

  beforeAll(async () => {
    [server, receiver, browser] = await Promise.all([startTestServer({}, { alerts: { tickMs: 0 } }), startTarget(), launchChromium()]);
    const patched = await server.api('/api/endpoints/default', { method: 'PATCH', json: {
      rules: [
        { name: 'orders', match: { path: '/orders/*' }, response: { status: 201, body: '{"created":true}' } },
        { name: 'flaky messages', match: { eventType: 'message.*' }, fail: { firstAttempts: 2, status: 503 } },
      ],
      alerts: [{ on: 'schema-invalid', threshold: 1, windowSec: 60, url: `${receiver.url}/services/T1/B2/token` }],
      schema: { mode: 'observe', jsonSchema: { type: 'object', required: ['data'] } },
    } });
    expect(patched.status).toBe(200);
    const lines = await deliverWithRetries({
      url: `${server.url}/h/default/messages`, body: JSON.stringify({ type: 'message.created' }), headers: { 'webhook-id': 'msg_ui' }, schedule: [120, 360],
    });
    expect(lines.map((l) => l.status)).toEqual([503, 503, 200]);
    await server.alerts.idle();
    const list = (await (await server.api('/api/endpoints/default/requests?limit=1')).json()) as { items: { id: string }[] };
    lastId = list.items[0]?.id ?? '';
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    seen = watchPage(page);
    await openSignedIn(page, server.url, TEST_TOKEN);
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.dispose();
  });

  it('draws the timeline of a retried delivery and states the schedule', async () => {
    await page.locator(`[data-capture-id="${lastId}"]`).click();
    const timeline = page.getByRole('region', { name: 'Delivery attempts' });
    await timeline.waitFor();
    const items = timeline.locator('li');
    expect(await items.count()).toBe(3);
    expect(await items.allTextContents()).toEqual([
      expect.stringMatching(/^#1 503$/), expect.stringMatching(/^\+[\d.]+ m?s#2 503$/), expect.stringMatching(/^\+[\d.]+ m?s#3 200 · this one$/),
    ]);
    expect(await timeline.textContent()).toMatch(/Retried after [\d.]+ m?s, [\d.]+ m?s; succeeded on attempt 3\./);
    await screenshot(page, '20-retry-timeline');

    // An earlier attempt names the rule that failed it.
    await page.locator('[role="option"][data-capture-id]').nth(2).click();
    await expect.poll(() => page.getByRole('region', { name: 'Delivery attempts' }).textContent())
      .toContain('Answered by rule 2 “flaky messages” with an injected failure (attempt 1 of this delivery).');
  }, 60_000);

  it('edits rules and tries a request against the draft, storing nothing', async () => {
    const before = ((await (await server.api('/api/endpoints/default')).json()) as { captureCount: number }).captureCount;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: /Rules/ }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('group', { name: /Rule \d/ }).count()).toBe(2);
    await page.getByLabel('Sample path').fill('/orders/9');
    await page.getByRole('button', { name: 'Try it' }).click();
    const result = page.getByRole('status', { name: 'Preview result' });
    await expect.poll(() => result.textContent()).toContain('Rule 1 “orders” → 201: answers with its response');

    // Edit the draft: the orders rule now fails its first attempt; the preview uses the draft.
    await dialog.getByRole('group', { name: 'Rule 1' }).getByLabel('Rule action').selectOption('status');
    await dialog.getByRole('group', { name: 'Rule 1' }).getByLabel('When it fails').selectOption('first');
    await page.getByRole('button', { name: 'Try it' }).click();
    await expect.poll(() => result.textContent()).toContain('Rule 1 “orders” → 503: fails with 503 (attempt 1 of the first 2)');
    await page.getByLabel('Earlier attempts').fill('2');
    await page.getByRole('button', { name: 'Try it' }).click();
    await expect.poll(() => result.textContent()).toContain('No rule applies: the endpoint answers 200');
    expect(await result.textContent()).toContain('Rule 1: attempt 3 is past the first 2: falls through');
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, '21-settings-rules-preview');
    await dialog.locator('.dialog__body').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, '22-settings-rules');
    expect(((await (await server.api('/api/endpoints/default')).json()) as { captureCount: number }).captureCount).toBe(before);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const saved = (await (await server.api('/api/endpoints/default')).json()) as { rules: unknown[] };
    expect(saved.rules[0]).toEqual({ name: 'orders', match: { path: '/orders/*' }, fail: { status: 503, firstAttempts: 2 } });
  }, 60_000);

  it('lists the alert messages sent, with the URL masked', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: /Alerts/ }).click();
    const log = page.getByRole('region', { name: 'Alert messages sent' });
    await expect.poll(() => log.locator('tbody tr').count()).toBe(1);
    expect(await log.textContent()).toMatch(/schema-invalid.*1.*200.*••••/);
    expect(await page.getByLabel('Alert URL').inputValue()).toMatch(/\/••••[0-9a-f]+$/);
    await screenshot(page, '23-settings-alerts');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
  }, 60_000);

  // The same page, restyled and resized (no second sign-in: cheap on a loaded machine).
  it('reads in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator(`[data-capture-id="${lastId}"]`).click();
    await page.getByRole('region', { name: 'Delivery attempts' }).waitFor();
    await screenshot(page, '24-retry-timeline-dark');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: /Rules/ }).click();
    await screenshot(page, '25-settings-rules-dark');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.emulateMedia({ colorScheme: 'light' });
  }, 60_000);

  it('reads on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator(`[data-capture-id="${lastId}"]`).click();
    await page.getByRole('region', { name: 'Delivery attempts' }).waitFor();
    await screenshot(page, '26-retry-timeline-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: /Alerts/ }).click();
    await screenshot(page, '27-settings-alerts-phone');
    expect(seen.errors).toEqual([]);
  }, 60_000);
});
