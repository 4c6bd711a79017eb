// Replay and forward from the inspector: one replay with an edited header, two replays compared,
// a bulk replay of the list with its progress, and a forward rule set in the settings.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { launchChromium, openSignedIn, screenshot, watchPage } from './support/browser';
import { deliver } from './support/webhooks';

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A local handler that records what it gets and answers with a build label that changes. */
async function startTarget(): Promise<{ server: Server; url: string; received: Received[]; setBuild: (b: string) => void }> {
  const received: Received[] = [];
  let build = 'old';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ build, handled: received.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, setBuild: (b) => (build = b) };
}

describe('replay and forward in the inspector', () => {
  let server: TestServer;
  let target: Awaited<ReturnType<typeof startTarget>>;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    target = await startTarget();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    seen = watchPage(page);
    for (let n = 1; n <= 3; n += 1) ids.push(await deliver(`${server.url}/h/default/orders/${n}`, JSON.stringify({ n })));
    await openSignedIn(page, server.url, TEST_TOKEN);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => target?.server.close(resolve));
    await server?.dispose();
  });

  it('replays the selected request with a header override and shows the answer', async () => {
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay request' });
    await dialog.getByLabel('Target URL').fill(target.url);
    await dialog.getByRole('button', { name: 'Add override' }).click();
    await dialog.getByLabel('Header name').fill('X-Replayed-By');
    await dialog.getByLabel('Header value').fill('e2e');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByTestId('replay-attempt').waitFor();
    expect(await dialog.getByTestId('replay-attempt').textContent()).toContain('"build": "old"');
    await screenshot(page, '11-replay-dialog');
    expect(target.received[0]).toMatchObject({ method: 'POST', url: '/hook', body: '{"n":3}' });
    expect(target.received[0]?.headers['x-replayed-by']).toBe('e2e');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  });

  it('keeps the replay history and compares two responses side by side', async () => {
    target.setBuild('new');
    await page.getByRole('tab', { name: /Replays/ }).click();
    const history = page.getByTestId('replay-history');
    await expect.poll(() => history.getByRole('checkbox', { name: 'Compare' }).count()).toBe(1);
    await history.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay request' });
    expect(await dialog.getByLabel('Target URL').inputValue()).toBe(target.url); // remembered per endpoint
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByTestId('replay-attempt').waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect.poll(() => history.getByRole('checkbox', { name: 'Compare' }).count()).toBe(2); // pushed live by the stream
    await history.getByRole('checkbox', { name: 'Compare' }).nth(0).check();
    await history.getByRole('checkbox', { name: 'Compare' }).nth(1).check();
    const diff = page.getByTestId('replay-diff');
    await diff.waitFor();
    expect(await diff.locator('.diff__cell--removed').allTextContents()).toContain('  "build": "old",');
    expect(await diff.locator('.diff__cell--added').allTextContents()).toContain('  "build": "new",');
    await screenshot(page, '12-replay-diff');
  });

  it('replays the whole list in order with a live progress bar', async () => {
    const before = target.received.length;
    await page.getByRole('button', { name: 'Replay 3' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay 3 requests' });
    await dialog.getByLabel('Target URL').fill(target.url);
    await dialog.getByRole('button', { name: 'Start' }).click();
    const progress = page.getByTestId('bulk-progress');
    await expect.poll(() => progress.textContent()).toContain('Bulk replay done');
    expect(await progress.textContent()).toContain('3/3 · 3 ok · 0 failed');
    await screenshot(page, '13-bulk-replay');
    expect(target.received.slice(before).map((r) => r.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('sets a forward rule that sends new deliveries to the target', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Forward' }).click();
    await page.getByLabel('Forward every accepted delivery').check();
    await page.getByLabel('Target URL').fill(target.url);
    await screenshot(page, '14-settings-forward');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const before = target.received.length;
    const id = await deliver(`${server.url}/h/default/forwarded`, '{"forward":true}');
    await expect.poll(() => target.received.length).toBe(before + 1);
    expect(target.received.at(-1)).toMatchObject({ url: '/hook/forwarded', body: '{"forward":true}' });
    await page.locator(`[data-capture-id="${id}"]`).click();
    await page.getByRole('tab', { name: /Replays/ }).click();
    await expect.poll(() => page.getByTestId('replay-history').textContent()).toContain('forward');
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
