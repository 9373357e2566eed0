'use strict';
// SMART stops in the browser: a resident finds a stop of the demo timetable by name, opens its
// departures and the stop board for displays, and sees the stops on the map. Every page is axed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { c, launch, newContext, open, navigating, visibleText, expectNoAxeViolations } = require('./lib');

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==',
  'base64',
);

let browser;
let page;

before(async () => {
  browser = await launch();
  const context = await newContext(browser);
  await context.route(/^https:\/\/.*\.png$/, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
  page = await context.newPage();
});

after(async () => {
  if (browser) await browser.close();
});

describe('transit: find a stop, read its departures and its board', () => {
  it('the stops map draws and a stop is found by name', async () => {
    await open(page, c('/transit'));
    await page.locator('[data-map]').waitFor({ state: 'visible' });
    await page.locator('[data-map] .marker').first().waitFor({ state: 'attached' });
    await expectNoAxeViolations(page, 'transit: search and map');
    await page.fill('#f-q', 'ринок');
    await navigating(page, () => page.locator('form[role=search] button[type=submit]').last().click());
    await navigating(page, () => page.locator('ul[aria-labelledby=found-h] a').first().click());
    assert.match(await visibleText(page), /Найближчі відправлення|Маршрут/);
    await expectNoAxeViolations(page, 'transit: a stop');
  });

  it('the stop board is large, high-contrast and accessible', async () => {
    await navigating(page, () => page.getByRole('link', { name: 'Табло зупинки' }).click());
    assert.match(await visibleText(page), /Ринок/);
    // The board is signage for an unattended stop display: reloading itself is its purpose (the
    // real-time exception of WCAG 2.2.1). Residents' pages never reload by themselves.
    await expectNoAxeViolations(page, 'transit: stop board', { exclude: ['meta[http-equiv="refresh"]'] });
  });
});
