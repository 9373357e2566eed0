'use strict';
// A petition's whole life in the browser: the statute's threshold is set, a resident verifies
// with the (stub) e-ID, writes and submits a petition, a moderator publishes it, the resident
// signs, the threshold is reached and the moderator answers. Every page on the way is axed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, c, launch, newContext, open, login, navigating, visibleText, expectNoAxeViolations } = require('./lib');

// A 2×2 PNG, enough for the server to decode, re-encode and make a thumbnail of.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==',
  'base64',
);

let browser;
const people = {};

before(async () => {
  browser = await launch();
  for (const who of ['admin', 'moderator', 'resident']) {
    const context = await newContext(browser);
    const page = await context.newPage();
    await login(page, DEMO[who]);
    people[who] = page;
  }
});

after(async () => {
  if (browser) await browser.close();
});

async function submitForm(page, formSelector) {
  await navigating(page, () => page.locator(formSelector).locator('button[type=submit]').first().click());
}

describe('petition: write, moderate, sign, answer', () => {
  let number;

  it('the administrator sets a threshold of one signature', async () => {
    const page = people.admin;
    await open(page, c('/admin/petitions/settings'));
    await expectNoAxeViolations(page, 'petition rules');
    await page.locator('input[name=threshold]').fill('1');
    await submitForm(page, 'form:has(input[name=threshold])');
    assert.match(await visibleText(page), /Збережено/);
  });

  it('the resident verifies their identity with the e-ID provider', async () => {
    const page = people.resident;
    await open(page, c('/account/verify'));
    await expectNoAxeViolations(page, 'identity verification');
    await navigating(page, () => page.getByRole('link', { name: /ID\.GOV\.UA/ }).click());
    await navigating(page, () => page.locator('a[href*="authorize"]').first().click());
    await page.waitForURL(/\/account\/verify/);
    assert.match(await visibleText(page), /Особу підтверджено|вже має підтверджений/);
  });

  it('the resident writes a petition and sends it to moderation', async () => {
    const page = people.resident;
    await open(page, c('/petitions/new'));
    await expectNoAxeViolations(page, 'new petition form');
    await page.locator('input[name=title]').fill('Лавки та освітлення в сквері біля бібліотеки');
    await page.locator('select[name=category]').selectOption('environment');
    await page
      .locator('textarea[name=body]')
      .fill('У сквері біля центральної бібліотеки немає жодної лавки й урни. Просимо встановити п’ять лавок і три урни.');
    // A real multipart form with a photo: the CSRF token and the file travel together.
    await page.locator('input[name=image]').setInputFiles({ name: 'skver.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('input[name=image_alt]').fill('Сквер біля бібліотеки без лавок');
    await submitForm(page, 'form:has(textarea[name=body])');
    const match = new URL(page.url()).pathname.match(/\/petitions\/(\d+)$/);
    assert.ok(match, `landed on ${page.url()}`);
    number = match[1];
    assert.equal(await page.locator('img[alt="Сквер біля бібліотеки без лавок"]').count(), 1, 'the photo is on the draft');
    assert.match(await visibleText(page), /Схожі петиції/, 'similar petitions are shown before submitting');
    await expectNoAxeViolations(page, 'petition draft');
    await submitForm(page, `form[action$="/petitions/${number}/submit"]`);
    assert.match(await visibleText(page), /надіслано на модерацію/i);
  });

  it('the moderator publishes it from the queue', async () => {
    const page = people.moderator;
    await open(page, c('/admin/petitions'));
    await expectNoAxeViolations(page, 'moderation queue');
    await submitForm(page, `form[action$="/admin/petitions/${number}/publish"]`);
    assert.match(await visibleText(page), /Збережено/);
  });

  it('the resident signs and gets a receipt code', async () => {
    const page = people.resident;
    await open(page, c(`/petitions/${number}`));
    await expectNoAxeViolations(page, 'published petition');
    await submitForm(page, `form[action$="/petitions/${number}/sign"]`);
    const text = await visibleText(page);
    assert.match(text, /Петицію підписано/);
    assert.match(text, /код квитанції/);
    await expectNoAxeViolations(page, 'signed');
  });

  it('the threshold is reached and the moderator answers', async () => {
    const page = people.moderator;
    await open(page, c(`/admin/petitions/${number}/print`));
    await expectNoAxeViolations(page, 'printable list for the council');
    await open(page, c('/admin/petitions'));
    await expectNoAxeViolations(page, 'petitions under consideration');
    const form = `form[action$="/admin/petitions/${number}/answer"]`;
    await page.locator(form).locator('select[name=decision]').selectOption('supported');
    await page.locator(form).locator('textarea[name=note]').fill('Лавки та урни встановлять до кінця місяця коштом благоустрою.');
    await submitForm(page, form);
    await open(page, c(`/petitions/${number}`));
    const text = await visibleText(page);
    assert.match(text, /підтримано/);
    assert.match(text, /встановлять до кінця місяця/);
    await expectNoAxeViolations(page, 'answered petition');
    await open(page, c(`/petitions/${number}/signatures`));
    await expectNoAxeViolations(page, 'signer list');
  });
});
