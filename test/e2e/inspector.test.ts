// The inspector end to end: a real server in-process, Debian's Chromium, real deliveries.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryOf } from '../../server/store/capture-record';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { launchChromium, rowIds, screenshot, watchPage } from './support/browser';
import { deliver, githubSignature } from './support/webhooks';

const SECRET = 'e2e-github-secret';
const ORDER = JSON.stringify({ action: 'created', order: { id: 42, items: [{ sku: 'A-1', qty: 2 }], paid: true }, sender: { login: 'octocat' } });

describe('inspector', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let ingestUrl = '';

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    seen = watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('asks for the token, refuses a wrong one, and signs in with the right one', async () => {
    await page.goto(server.url);
    const token = page.getByLabel('Admin token');
    await token.fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not accept');
    await screenshot(page, '01-login');
    await token.fill(TEST_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Endpoints' }).getByText('Default endpoint').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('hookscope.token'))).toBe(TEST_TOKEN);
  });

  it('signs in from the printed #token= link and strips the token from the address bar', async () => {
    const other = await browser.newPage();
    await other.goto(`${server.url}/#token=${encodeURIComponent(TEST_TOKEN)}`);
    await other.getByRole('navigation', { name: 'Endpoints' }).getByText('Default endpoint').waitFor();
    expect(other.url()).not.toContain('token');
    await other.getByRole('button', { name: /Sign out/ }).click();
    await other.getByLabel('Admin token').waitFor();
    expect(await other.evaluate(() => localStorage.getItem('hookscope.token'))).toBeNull();
    await other.close();
    // Signing out in one tab forgot the token for the browser: sign the main page in again.
    await page.evaluate((t) => localStorage.setItem('hookscope.token', t), TEST_TOKEN);
  });

  it('creates an endpoint and shows how to send the first webhook', async () => {
    await page.getByRole('button', { name: 'New endpoint' }).click();
    await page.getByLabel('New endpoint name').fill('Payments');
    await page.getByLabel('New endpoint name').press('Enter');
    await page.getByRole('heading', { name: 'Payments' }).waitFor();
    await page.getByTestId('first-run').waitFor();
    ingestUrl = await page.getByLabel('Ingest URL', { exact: true }).inputValue();
    expect(ingestUrl).toMatch(new RegExp(`^${server.url}/h/[A-Za-z0-9_-]{22}$`));
    expect(await page.getByTestId('first-run').textContent()).toContain(`curl -X POST ${ingestUrl}`);
    const endpoints = (await (await server.api('/api/endpoints')).json()) as Array<{ name: string }>;
    expect(endpoints.map((e) => e.name)).toContain('Payments');
    await screenshot(page, '02-first-run');
  });

  it('saves GitHub signature verification with a write-only secret', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Verification' }).click();
    await page.getByLabel('Check').selectOption('hmac');
    await page.getByLabel('Mode').selectOption('observe');
    await page.getByLabel('Platform').selectOption('github');
    await page.getByLabel('Secret').fill(SECRET);
    await screenshot(page, '03-settings-verification');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const id = ingestUrl.split('/h/')[1] as string;
    const saved = (await (await server.api(`/api/endpoints/${id}`)).json()) as { verify: { hmac?: { secret?: string } } };
    expect(saved.verify.hmac?.secret).toMatch(/^••••[0-9a-f]{8}$/);
    // Saving again without typing a secret keeps the stored one.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Verification' }).click();
    expect(await page.getByRole('dialog').textContent()).toContain(saved.verify.hmac?.secret);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('shows a webhook POSTed by the test within 1 s, without reload', async () => {
    const started = Date.now();
    const id = await deliver(`${ingestUrl}/orders?source=e2e`, ORDER, { 'X-Hub-Signature-256': githubSignature(SECRET, ORDER), 'X-GitHub-Delivery': 'd-1' });
    await page.locator(`[data-capture-id="${id}"]`).waitFor({ timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await page.locator(`[data-capture-id="${id}"]`).textContent()).toContain('/orders?source=e2e');
  });

  it('opens it: JSON tree, headers as sent, and the signature verdict', async () => {
    // The newest capture is selected automatically.
    await expect.poll(() => page.getByTestId('detail-path').textContent()).toBe('/orders?source=e2e');
    const tree = page.getByTestId('json-tree');
    await tree.waitFor();
    expect(await tree.textContent()).toContain('"sku": "A-1"');
    await tree.getByRole('button', { name: 'Collapse' }).nth(1).click(); // "order"
    expect(await tree.textContent()).toContain('3 keys');
    await page.getByRole('tab', { name: /Headers/ }).click();
    expect(await page.getByRole('table', { name: 'Headers' }).textContent()).toContain('X-Hub-Signature-256');
    await page.getByRole('tab', { name: /Verification/ }).click();
    const verdict = page.getByRole('region', { name: 'Signature verdict' });
    expect(await verdict.textContent()).toContain('signed');
    expect(await verdict.textContent()).toContain('hmac:github');
    expect((await page.getByTestId('signature-reason').textContent())?.length).toBeGreaterThan(10);
    await screenshot(page, '04-detail-verification');
  });

  it('explains a bad signature', async () => {
    const bad = await deliver(`${ingestUrl}/orders`, ORDER, { 'X-Hub-Signature-256': githubSignature('wrong-secret', ORDER) });
    await page.locator(`[data-capture-id="${bad}"]`).waitFor();
    await expect.poll(() => page.locator(`[data-capture-id="${bad}"]`).textContent()).toContain('sig invalid');
    await expect.poll(() => page.getByRole('tab', { name: /Verification/ }).textContent()).toContain('⚠');
    await page.getByRole('tab', { name: /Verification/ }).click();
    expect(await page.getByRole('region', { name: 'Signature verdict' }).textContent()).toContain('sig invalid');
  });

  it('filters by verdict, method and free text', async () => {
    await deliver(`${ingestUrl}/refunds/7`, '{"refund":7}');
    await fetch(`${ingestUrl}/health`, { method: 'GET' });
    await expect.poll(() => rowIds(page).then((ids) => ids.length)).toBe(4);
    await page.getByLabel('Verdict').selectOption('signature-valid');
    await expect.poll(() => rowIds(page).then((ids) => ids.length)).toBe(1);
    await page.getByLabel('Verdict').selectOption('signature-failed');
    await expect.poll(() => rowIds(page).then((ids) => ids.length)).toBe(3); // invalid + two unsigned (missing)
    await page.getByLabel('Verdict').selectOption('all');
    await page.getByLabel('Method').selectOption('GET');
    await expect.poll(() => page.locator('[role="option"][data-capture-id]').allTextContents()).toEqual([expect.stringContaining('/health')]);
    await page.getByLabel('Method').selectOption('');
    await page.keyboard.press('/');
    await page.keyboard.type('refunds');
    await expect.poll(() => page.locator('[role="option"][data-capture-id]').allTextContents()).toEqual([expect.stringContaining('/refunds/7')]);
    expect(await page.getByTestId('request-count').textContent()).toBe('1 of 4 requests');
    await screenshot(page, '05-filtered');
    await page.getByLabel('Search requests').fill('');
    await expect.poll(() => rowIds(page).then((ids) => ids.length)).toBe(4);
  });

  it('moves with j/k and keeps a picked request selected while new ones arrive', async () => {
    await page.locator('body').click({ position: { x: 700, y: 780 } });
    const ids = await rowIds(page);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('[role="option"][aria-selected="true"]').getAttribute('data-capture-id')).toBe(ids[2]);
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('[role="option"][aria-selected="true"]').getAttribute('data-capture-id')).toBe(ids[1]);
    const newer = await deliver(ingestUrl, '{"late":true}');
    await page.locator(`[data-capture-id="${newer}"]`).waitFor();
    expect(await page.locator('[role="option"][aria-selected="true"]').getAttribute('data-capture-id')).toBe(ids[1]);
    await page.getByRole('button', { name: 'Follow newest' }).click();
    await expect.poll(() => page.locator('[role="option"][aria-selected="true"]').getAttribute('data-capture-id')).toBe(newer);
  });

  it('pauses and resumes the live list', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    const held = await deliver(ingestUrl, '{"held":true}');
    await expect.poll(() => page.getByRole('button', { name: /1 new request/ }).count()).toBe(1);
    expect(await page.locator(`[data-capture-id="${held}"]`).count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).first().click();
    await page.locator(`[data-capture-id="${held}"]`).waitFor();
  });

  it('marks schema issues on their paths in the JSON tree', async () => {
    // The verdict is set on a stored capture directly: this checks the inspector, not the validator.
    const endpointId = ingestUrl.split('/h/')[1] as string;
    const body = Buffer.from(JSON.stringify({ type: 'order.paid', order: { items: [{ sku: 'A-1', qty: 'two' }] } }));
    const stored = await server.store.append({
      endpointId, receivedAt: Date.now(), method: 'POST', path: '/schema', query: '', peer: '127.0.0.1',
      headers: [['Content-Type', 'application/json']], body, size: body.length, contentType: 'application/json', reply: { status: 200 },
      verdicts: {
        signature: { status: 'missing', scheme: 'hmac:github', reason: 'no X-Hub-Signature-256 header', hint: 'GitHub only signs when the webhook has a secret' },
        schema: { status: 'invalid', eventType: 'order.paid', catalog: 'custom', issues: [
          { path: 'order.items[0].qty', message: 'Expected number, received string' },
          { path: 'order.currency', message: 'Required' },
        ] },
      },
      deliveryId: null, duplicateOf: null, eventType: null,
    });
    await server.hub.publish({ type: 'capture', capture: summaryOf(stored) });
    await page.locator(`[data-capture-id="${stored.id}"]`).click();
    await page.getByRole('tab', { name: /Verification/ }).click();
    expect(await page.getByRole('region', { name: 'Signature verdict' }).textContent()).toContain('GitHub only signs');
    await page.getByRole('region', { name: 'Schema verdict' }).getByRole('button', { name: 'order.items[0].qty' }).click();
    const issues = page.locator('.json-line--issue');
    await expect.poll(() => issues.count()).toBe(2);
    expect(await page.getByTestId('json-tree').getByRole('note').allTextContents()).toEqual([
      '⚠ currency: Required', '⚠ Expected number, received string',
    ]);
    expect(await issues.nth(1).textContent()).toContain('"qty": "two"');
    await screenshot(page, '06-schema-issues');
  });

  it('stays usable on a narrow window and never opened a dialog or threw', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.locator('[role="option"]').first().click();
    await page.getByRole('button', { name: 'Back to requests' }).waitFor();
    await screenshot(page, '07-narrow-detail');
    await page.getByRole('button', { name: 'Back to requests' }).click();
    await page.getByRole('button', { name: 'Show endpoints' }).click();
    await page.waitForTimeout(300); // the drawer slides in
    await screenshot(page, '07-narrow-nav');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
