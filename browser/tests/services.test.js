'use strict';
// City services in the browser: CNAP staff add a service card (a refused one first) and an
// office; a resident finds the service by a word and by its category, reads its card and the
// offices with their map; with JavaScript off the catalogue works the same. Every page is axed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, c, launch, newContext, open, login, navigating, visibleText, expectNoAxeViolations } = require('./lib');

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==',
  'base64',
);
const RUN = `${Date.now()}`.slice(-6);

let browser;
let staff;
let resident;
let noscript;

before(async () => {
  browser = await launch();
  const staffContext = await newContext(browser);
  staff = await staffContext.newPage();
  await login(staff, DEMO.cnap);
  const residentContext = await newContext(browser);
  await residentContext.route(/^https:\/\/.*\.png$/, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
  resident = await residentContext.newPage();
  noscript = await (await newContext(browser, { javaScriptEnabled: false })).newPage();
});

after(async () => {
  if (browser) await browser.close();
});

async function submit(page, formSelector) {
  await navigating(page, () => page.locator(formSelector).locator('button[type=submit]').first().click());
}

describe('services: keep the catalogue, find a service', () => {
  const name = `Довідка про склад сім'ї ${RUN}`;

  it('CNAP staff add a card; a card without documents is refused first', async () => {
    await open(staff, c('/admin/services/new'));
    await expectNoAxeViolations(staff, 'new service card');
    await staff.fill('#f-name_uk', name);
    await staff.fill('#f-term', 'У день звернення');
    await staff.fill('#f-result', 'Довідка');
    await staff.fill('#f-cost', 'безоплатно');
    await submit(staff, 'form.stack');
    assert.match(await visibleText(staff), /обов’язкове поле/);
    await expectNoAxeViolations(staff, 'refused service card');
    await staff.fill('#f-documents', 'Паспорт\nДовідка з місця проживання');
    await staff.selectOption('#f-category_id', { index: 1 });
    await submit(staff, 'form.stack');
    assert.match(new URL(staff.url()).pathname, /\/admin\/services\/cards\/\d+$/);
    await open(staff, c('/admin/services'));
    await expectNoAxeViolations(staff, 'service cards');
    for (const what of ['offices', 'tiles', 'cameras', 'categories', 'import']) {
      await open(staff, c(`/admin/services/${what}`));
      await expectNoAxeViolations(staff, `services admin: ${what}`);
    }
  });

  it('a resident finds it by a word and reads what to bring', async () => {
    await open(resident, c('/services'));
    await expectNoAxeViolations(resident, 'services catalogue');
    await resident.fill('#f-q', `склад сімʼї ${RUN}`);
    await navigating(resident, () => resident.locator('form[role=search] button[type=submit]').last().click());
    const results = await visibleText(resident);
    assert.match(results, /Знайдено 1 послугу/);
    await navigating(resident, () => resident.getByRole('link', { name }).click());
    const card = await visibleText(resident);
    assert.match(card, /Довідка з місця проживання/);
    assert.match(card, /безоплатно/);
    await expectNoAxeViolations(resident, 'service card');
  });

  it('the offices show on the map and in the list', async () => {
    await open(resident, c('/services/offices'));
    const map = resident.locator('[data-map]');
    await map.waitFor({ state: 'visible' });
    await resident.locator('[data-map] .marker').first().waitFor({ state: 'attached' });
    assert.match(await visibleText(resident), /Центр надання адміністративних послуг/);
    await expectNoAxeViolations(resident, 'offices with the map');
    await open(resident, c('/services/cameras'));
    await expectNoAxeViolations(resident, 'cameras');
  });

  it('with JavaScript off the catalogue filters by category and the map stays hidden', async () => {
    await open(noscript, c('/services'));
    await navigating(noscript, () => noscript.locator('ul.chips a').nth(1).click());
    assert.match(noscript.url(), /category=/);
    assert.equal(await noscript.locator('ul.service-list li').count() > 0, true);
    await open(noscript, c('/services/offices'));
    assert.equal(await noscript.locator('[data-map]').isVisible(), false, 'no map without JavaScript');
    assert.match(await visibleText(noscript), /Віддалене робоче місце ЦНАП/);
  });
});
