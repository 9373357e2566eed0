'use strict';
// An appeal's whole life in the browser: the form explains why an anonymous appeal is refused,
// a complete one is registered with its number, the administrator assigns it, the department's
// officer takes it up and answers, and the resident rates the answer. The public dashboard and
// every page on the way are axed. A second resident files one with JavaScript off (axe itself
// needs JavaScript, so that walk checks the outcome only).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, c, launch, newContext, open, login, navigating, visibleText, expectNoAxeViolations } = require('./lib');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

let browser;
const people = {};

before(async () => {
  browser = await launch();
  for (const who of ['admin', 'officer', 'resident']) {
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

describe('appeal: file, assign, answer, rate', () => {
  let reference;

  it('the resident reads the law’s terms and is told why an anonymous appeal is refused', async () => {
    const page = people.resident;
    await open(page, c('/appeals'));
    await expectNoAxeViolations(page, 'appeals');
    await open(page, c('/appeals/new'));
    await expectNoAxeViolations(page, 'new appeal form');
    await page.locator('#kind-statement').check();
    await page.locator('select[name=category]').selectOption('roads');
    await page.locator('input[name=full_name]').fill('');
    await page.locator('textarea[name=essence]').fill('Яма на дорозі біля зупинки «Ринок» вже місяць, машини об’їжджають її по тротуару.');
    await submitForm(page, 'form:has(textarea[name=essence])');
    const text = await visibleText(page);
    assert.match(text, /Анонімне звернення не може бути розглянуте/);
    assert.match(text, /Вкажіть прізвище та ім'я/);
    await expectNoAxeViolations(page, 'appeal form with errors');
  });

  it('the resident files a complete appeal with a document and gets its number', async () => {
    const page = people.resident;
    await page.locator('input[name=full_name]').fill('Петро Мешканець');
    const place = page.locator('select[name=settlement] option:not([value=""])').first();
    await page.locator('select[name=settlement]').selectOption(await place.getAttribute('value'));
    await page.locator('input[name=street]').fill('вул. Ринкова, 4, кв. 2');
    await page.locator('input[name=attachments]').setInputFiles({ name: 'foto-yamy.pdf', mimeType: 'application/pdf', buffer: PDF });
    await submitForm(page, 'form:has(textarea[name=essence])');
    const match = new URL(page.url()).pathname.match(/\/appeals\/(\d{4}-\d{6})$/);
    assert.ok(match, `landed on ${page.url()}`);
    reference = match[1];
    const text = await visibleText(page);
    assert.match(text, /Звернення Е-\d{4}-\d{6}/);
    assert.match(text, /Відповідь до/);
    assert.match(text, /foto-yamy\.pdf/);
    await expectNoAxeViolations(page, 'registered appeal');
  });

  it('the administrator finds it in the inbox and assigns it to the officer', async () => {
    const page = people.admin;
    await open(page, c('/admin/appeals'));
    await expectNoAxeViolations(page, 'appeals inbox');
    await open(page, c(`/admin/appeals/${reference}`));
    await expectNoAxeViolations(page, 'appeal work page');
    const officer = page.locator('#f-officer option', { hasText: 'Василь Посадовець' }).first();
    await page.locator('#f-officer').selectOption(await officer.getAttribute('value'));
    await submitForm(page, `form[action$="/admin/appeals/${reference}/assign"]`);
    assert.match(await visibleText(page), /Передано виконавцю/);
  });

  it('the officer takes it up and answers', async () => {
    const page = people.officer;
    await open(page, c(`/admin/appeals/${reference}`));
    await submitForm(page, `form[action$="/admin/appeals/${reference}/start"]`);
    assert.match(await visibleText(page), /Розглядається/);
    await expectNoAxeViolations(page, 'appeal in progress');
    await page.locator('#answer-note').fill('Яму засипано й заасфальтовано 28 листопада. Дякуємо за повідомлення.');
    await submitForm(page, `form[action$="/admin/appeals/${reference}/answer"]`);
    assert.match(await visibleText(page), /Надано відповідь/);
  });

  it('the resident reads the answer and rates it', async () => {
    const page = people.resident;
    await open(page, c(`/appeals/${reference}`));
    assert.match(await visibleText(page), /Яму засипано/);
    await expectNoAxeViolations(page, 'answered appeal');
    await page.locator('#stars-5').check();
    await submitForm(page, `form[action$="/appeals/${reference}/rate"]`);
    assert.match(await visibleText(page), /Ваша оцінка: 5 з 5/);
  });

  it('works with JavaScript off', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await login(page, DEMO.admin);
    await open(page, c('/appeals/new'));
    await page.locator('#kind-proposal').check();
    await page.locator('select[name=category]').selectOption('transport');
    await page.locator('input[name=full_name]').fill('Оксана Адміністраторка');
    const place = page.locator('select[name=settlement] option:not([value=""])').first();
    await page.locator('select[name=settlement]').selectOption(await place.getAttribute('value'));
    await page.locator('input[name=street]').fill('вул. Миру, 1');
    await page.locator('textarea[name=essence]').fill('Пропоную продовжити маршрут № 3 до нового мікрорайону за залізницею.');
    await submitForm(page, 'form:has(textarea[name=essence])');
    assert.match(new URL(page.url()).pathname, /\/appeals\/\d{4}-\d{6}$/);
    assert.match(await visibleText(page), /Звернення зареєстровано/);
    await context.close();
  });

  it('anyone sees how the community answers', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await open(page, c('/appeals/dashboard'));
    assert.match(await visibleText(page), /За підрозділами/);
    await expectNoAxeViolations(page, 'appeals dashboard');
    await context.close();
  });
});
