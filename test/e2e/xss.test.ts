// Payloads are text, never markup: hostile bodies, headers, paths and queries render inert.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/test-server';
import { launchChromium, openSignedIn, screenshot, watchPage } from './support/browser';
import { rawRequest } from './support/webhooks';

const SCRIPT = '<script>window.__pwned = "script"; alert("script")</script>';
const IMG = '<img src=x onerror="window.__pwned = \'img\'; alert(\'img\')">';
const JS_URL = 'javascript:alert(document.domain)';
const SVG = '<svg onload=alert("svg")><a href="javascript:alert(1)">click</a></svg>';

describe('hostile payloads', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('renders <script>, onerror handlers and javascript: URLs as text everywhere', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const seen = watchPage(page);
    const csp = (await fetch(server.url)).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");

    const query = `next=${encodeURIComponent(JS_URL)}&html=${encodeURIComponent(IMG)}`;
    const path = `/<img_src=x_onerror=alert(1)>/<script>alert(2)</script>`; // sent raw, not percent-encoded
    const body = JSON.stringify({ [SCRIPT]: IMG, link: JS_URL, html: SVG, nested: { list: [SCRIPT, IMG] } });
    const status = await rawRequest(server.url, 'POST', `/h/default${path}?${query}&raw=<b>"'`, { 'content-type': 'application/json', 'X-Evil': IMG, 'X-Link': JS_URL }, body);
    expect(status).toBe(200);
    await fetch(`${server.url}/h/default/text`, { method: 'POST', headers: { 'content-type': 'text/html' }, body: `${SCRIPT}${IMG}${SVG}` });
    await fetch(`${server.url}/h/default/form`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${encodeURIComponent(SCRIPT)}&b=${encodeURIComponent(JS_URL)}` });

    await openSignedIn(page, server.url, TEST_TOKEN);
    const rows = page.locator('[role="option"]');
    await expect.poll(() => rows.count()).toBe(3);
    // Visit each capture, each body view, headers and query.
    for (let i = 0; i < 3; i += 1) {
      await rows.nth(i).click();
      await page.getByRole('tab', { name: 'Body' }).waitFor();
      for (const mode of ['Tree', 'Fields', 'Raw', 'Hex']) {
        const button = page.getByRole('group', { name: 'Body view' }).getByRole('button', { name: mode });
        if (await button.count()) await button.click();
      }
      await page.getByRole('tab', { name: /Headers/ }).click();
      await page.getByRole('tab', { name: /Query/ }).click();
      await page.getByRole('tab', { name: /Verification/ }).click();
      await page.getByRole('tab', { name: 'Body' }).click();
    }
    await rows.last().click();
    await page.getByRole('group', { name: 'Body view' }).getByRole('button', { name: 'Tree' }).click();
    const tree = page.getByTestId('json-tree');
    expect(await tree.textContent()).toContain('<script>window.__pwned');
    expect(await tree.textContent()).toContain('javascript:alert(document.domain)');
    await page.getByRole('tab', { name: /Headers/ }).click();
    expect(await page.getByRole('table', { name: 'Headers' }).textContent()).toContain(IMG);
    expect(await page.getByTestId('detail-path').textContent()).toContain('<script>alert(2)</script>');
    await screenshot(page, '10-xss-as-text');

    await page.waitForTimeout(300); // give any injected handler its chance to run
    expect(seen.dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    const injected = await page.evaluate(() => ({
      scripts: [...document.scripts].filter((s) => !s.src).length,
      images: document.querySelectorAll('img').length,
      svgs: [...document.querySelectorAll('svg')].filter((s) => s.hasAttribute('onload')).length,
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      jsLinks: [...document.querySelectorAll('[href]')].filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? '')).length,
    }));
    expect(injected).toEqual({ scripts: 0, images: 0, svgs: 0, handlers: 0, jsLinks: 0 });
    expect(seen.errors).toEqual([]);
  });
});
