// A server restart while the inspector is open: the page reconnects with backoff, resumes from
// its cursor and shows every delivery exactly once, including those that arrived before it got back.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { launchChromium, openSignedIn, rowIds, screenshot, watchPage } from './support/browser';
import { deliver } from './support/webhooks';

const status = (page: Page) => page.getByTestId('connection').first().getAttribute('data-status');

describe('inspector across a server restart', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir();
    server = await startTestServer({ data: dir.path });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await dir?.remove();
  });

  it('shows every delivery once after reconnecting', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const seen = watchPage(page);
    const ingest = `${server.url}/h/default`;
    const before = [await deliver(ingest, '{"n":1}'), await deliver(ingest, '{"n":2}')];
    await openSignedIn(page, server.url, TEST_TOKEN);
    await expect.poll(() => status(page)).toBe('live');
    before.push(await deliver(ingest, '{"n":3}'));
    await expect.poll(() => rowIds(page)).toEqual([...before].reverse());

    const port = server.port;
    await server.close();
    await expect.poll(() => status(page)).toBe('reconnecting');
    await screenshot(page, '08-reconnecting');
    // Stay down long enough for the backoff to grow past a second, then come back on the same
    // port and data folder and deliver at once, before the page's next attempt.
    await new Promise((resolve) => setTimeout(resolve, 1700));
    server = await startTestServer({ data: dir.path, port });
    const during: string[] = [];
    for (let n = 4; n <= 8; n += 1) during.push(await deliver(ingest, `{"n":${n}}`));
    expect(await status(page)).toBe('reconnecting'); // the page has not caught up yet

    await expect.poll(() => status(page), { timeout: 20_000 }).toBe('live');
    const after = await deliver(ingest, '{"n":9}');
    const all = [...before, ...during, after];
    await expect.poll(() => rowIds(page)).toEqual([...all].reverse());
    const ids = await rowIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await page.getByTestId('request-count').textContent()).toBe('9 requests');
    await screenshot(page, '09-after-reconnect');
    expect(seen.errors).toEqual([]);
  });
});
