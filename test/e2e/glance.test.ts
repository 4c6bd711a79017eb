// The inspector read at a glance and used from a phone: the kinds of delivery a developer meets are
// recognisable in the list, Settings can be saved on a 390 px screen, copy-as-curl copies the
// server's command, a refused body says why, test events teach, replays show what was sent.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureListSchema, captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { curlCommandSchema } from '../../shared/replay';
import { startTarget, type TargetServer } from '../support/target-server';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { launchChromium, openSignedIn, screenshot, watchPage } from './support/browser';
import { seedDeliveries, type Seeded } from './support/seed';

const BODY_LIMIT = 4096; // bytes

/** A row's text, and whether each of its badges is wholly inside the row (not clipped away). */
async function rowFacts(page: Page, id: string): Promise<{ text: string; badges: Array<{ text: string; visible: boolean }>; preview: string }> {
  const row = page.locator(`[data-capture-id="${id}"]`);
  await row.waitFor();
  return row.evaluate((element) => {
    const box = (element.querySelector('.row__badges') as HTMLElement).getBoundingClientRect();
    const badges = [...element.querySelectorAll('.row__badges .badge')].map((badge) => {
      const b = badge.getBoundingClientRect();
      const clipped = (badge as HTMLElement).scrollWidth > (badge as HTMLElement).clientWidth + 1;
      return { text: badge.textContent ?? '', visible: b.left >= box.left - 0.5 && b.right <= box.right + 0.5 && !clipped };
    });
    return { text: element.textContent ?? '', badges, preview: element.querySelector('.row__preview')?.textContent ?? '' };
  });
}

describe('the inspector at a glance and on a phone', { timeout: 60_000 }, () => {
  let server: TestServer;
  let target: TargetServer;
  let browser: Browser;
  let seeded: Seeded;

  beforeAll(async () => {
    server = await startTestServer({ bodyLimit: BODY_LIMIT });
    target = await startTarget();
    seeded = await seedDeliveries(server, BODY_LIMIT * 2);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await server?.dispose();
  });

  it('makes a GitHub push, a gzip body and a binary body recognisable in the list, markers never pushed out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openSignedIn(page, server.url, TEST_TOKEN);
    const push = await rowFacts(page, seeded.push);
    expect(push.badges.filter((b) => b.visible).map((b) => b.text)).toEqual(['signed', 'json', 'push']);
    expect(push.preview).toContain('"ref":"refs/heads/main"');
    expect(await page.locator(`[data-capture-id="${seeded.push}"]`).getAttribute('title')).toMatch(/^Delivery id: .*72d3162e-cc78-11e3-81ab-4c9367dc0958$/);

    const gzip = await rowFacts(page, seeded.gzip);
    expect(gzip.badges.filter((b) => b.visible).map((b) => b.text)).toEqual(expect.arrayContaining(['json', 'gzip']));
    expect(gzip.preview).toContain('"type":"invoice.paid"'); // decoded, not the compressed bytes

    const binary = await rowFacts(page, seeded.binary);
    expect(binary.badges.filter((b) => b.visible).map((b) => b.text)).toContain('binary');
    expect(binary.preview).toBe('binary body');

    const empty = await rowFacts(page, seeded.get);
    expect(empty.badges.find((b) => b.text === 'empty')?.visible).toBe(true);
    const refused = await rowFacts(page, seeded.oversize);
    expect(refused.badges.filter((b) => b.visible).map((b) => b.text)).toEqual(['rejected', 'not kept']);

    // A long event type gives way (ellipsis); the duplicate and signature markers stay whole.
    await page.setViewportSize({ width: 980, height: 800 });
    const duplicate = await rowFacts(page, seeded.duplicate);
    expect(duplicate.badges.slice(0, 2)).toEqual([{ text: 'duplicate', visible: true }, { text: 'signed', visible: true }]);
    expect(duplicate.badges.some((b) => b.text === 'pull_request_review_comment')).toBe(true);
    await screenshot(page, 'glance-list');
    await page.close();
  });

  it('copies the server\'s curl command, and says why a refused body cannot be replayed or copied', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    await openSignedIn(page, server.url, TEST_TOKEN);
    await page.locator(`[data-capture-id="${seeded.binary}"]`).click();
    await page.locator(`[data-detail-id="${seeded.binary}"]`).waitFor();
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const fromApi = curlCommandSchema.parse(await (await server.api(`/api/requests/${seeded.binary}/curl`, { method: 'POST', json: {} })).json());
    expect(copied).toBe(fromApi.command);
    expect(copied).toContain('--globoff');

    await page.locator(`[data-capture-id="${seeded.oversize}"]`).click();
    await page.locator(`[data-detail-id="${seeded.oversize}"]`).waitFor();
    expect(await page.getByTestId('body-not-kept').textContent()).toMatch(/not kept.*over the limit of 4096 bytes/);
    expect(await page.getByRole('button', { name: 'Replay', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Copy as curl' }).isDisabled()).toBe(true);
    await screenshot(page, 'glance-refused-body');
    await context.close();
  });

  it('saves Settings on a 390×844 phone: every tab reachable, Save on screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const seen = watchPage(page);
    await openSignedIn(page, server.url, TEST_TOKEN);
    // Nothing on the page is wider than the phone (a phone browser would zoom the page out).
    expect(await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])).toEqual([390, 390]);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: /^Settings/ });
    const box = await dialog.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(390);
    await dialog.getByLabel('Delay (ms)').fill('250');
    await dialog.getByRole('tab', { name: 'Retention' }).click();
    await dialog.getByLabel('Keep the newest (captures)').fill('321');
    for (const name of ['Test event', 'Forward']) {
      const tab = dialog.getByRole('tab', { name });
      const tabBox = await tab.boundingBox();
      expect(tabBox && tabBox.x >= 0 && tabBox.x + tabBox.width <= 390, `${name} tab on screen`).toBe(true);
    }
    const save = dialog.getByRole('button', { name: 'Save' });
    const saveBox = await save.boundingBox();
    expect(saveBox && saveBox.y + saveBox.height <= 844 && saveBox.x + saveBox.width <= 390, 'Save on screen').toBe(true);
    await screenshot(page, 'glance-phone-settings');
    await save.tap();
    await dialog.waitFor({ state: 'detached' });
    const saved = endpointViewSchema.parse(await (await server.api('/api/endpoints/default')).json());
    expect(saved.response.delayMs).toBe(250);
    expect(saved.retention.maxCaptures).toBe(321);
    await server.api('/api/endpoints/default', { method: 'PATCH', json: { response: { delayMs: 0 } } });
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('offers test events from the endpoint\'s catalog, shows the payload and schema, and sends the edited payload', async () => {
    const created = endpointViewSchema.parse(await (await server.api('/api/endpoints', { method: 'POST', json: { name: 'Messaging', schema: { mode: 'observe', catalog: 'messaging' } } })).json());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openSignedIn(page, server.url, TEST_TOKEN);
    await page.getByRole('navigation', { name: 'Endpoints' }).getByText('Messaging').click();
    await page.getByRole('button', { name: 'Send a test event' }).click();
    const dialog = page.getByRole('dialog', { name: /^Settings/ });
    const event = dialog.getByLabel('Event', { exact: true });
    await expect.poll(() => event.inputValue()).toMatch(/^messaging\./);
    const payload = dialog.getByTestId('test-event-payload');
    const sample = JSON.parse(await payload.inputValue()) as Record<string, unknown>;
    await dialog.getByText(/^JSON Schema of messaging\./).click();
    expect(JSON.parse((await dialog.getByTestId('test-event-schema').textContent()) ?? '{}')).toMatchObject({ type: 'object' });
    await payload.fill(JSON.stringify({ ...sample, edited_by: 'e2e' }, null, 2));
    await dialog.getByRole('button', { name: 'Send test event' }).click();
    await dialog.getByRole('status').filter({ hasText: 'It is in the request list now' }).waitFor();
    const list = captureListSchema.parse(await (await server.api(`/api/endpoints/${created.id}/requests?limit=1`)).json());
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${list.items[0]?.id}`)).json());
    expect(JSON.parse(capture.body.data)).toMatchObject({ edited_by: 'e2e' });
    expect(capture.headers.map(([name]) => name.toLowerCase())).not.toContain('sec-fetch-mode');
    await page.close();
  });

  it('shows what each replay sent, and compares the requests as well as the answers', async () => {
    target.respond((_request, res) => void res.end('ok'));
    for (const data of ['{"edited":1}', '{"edited":2}']) {
      const res = await server.api(`/api/requests/${seeded.push}/replay`, { method: 'POST', json: { url: `${target.url}/hook`, body: { encoding: 'utf8', data } } });
      expect(res.status).toBe(200);
    }
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await openSignedIn(page, server.url, TEST_TOKEN);
    await page.locator(`[data-capture-id="${seeded.push}"]`).click();
    await page.getByRole('tab', { name: /^Replays/ }).click();
    const history = page.getByTestId('replay-history');
    await history.getByRole('button', { name: /replay/ }).first().click();
    await history.getByText(/^Sent: POST with an edited body/).click();
    expect(await history.getByTestId('replay-attempt').textContent()).toContain('{\n  "edited": 2\n}');
    await history.getByRole('checkbox', { name: 'Compare' }).nth(0).check();
    await history.getByRole('checkbox', { name: 'Compare' }).nth(1).check();
    const diff = page.getByTestId('replay-diff');
    await diff.getByRole('button', { name: 'Requests sent' }).click();
    await expect.poll(() => diff.locator('.diff__cell--added').allTextContents()).toContain('  "edited": 2');
    expect(await diff.locator('.diff__cell--removed').allTextContents()).toContain('  "edited": 1');
    await screenshot(page, 'glance-replay-requests');
    await context.close();
  });

  it('starts a bulk replay from the URL a single replay remembered', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openSignedIn(page, server.url, TEST_TOKEN);
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    const single = page.getByRole('dialog', { name: 'Replay request' });
    await single.getByLabel('Target URL').fill(`${target.url}/remembered`);
    await single.getByRole('button', { name: 'Send' }).click();
    await single.getByTestId('replay-attempt').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Replay \d+/ }).click();
    expect(await page.getByRole('dialog', { name: /^Replay \d+ requests/ }).getByLabel('Target URL').inputValue()).toBe(`${target.url}/remembered`);
    await page.close();
  });
});
