'use strict';
// Surveys and polls in the browser: the demo's quick poll on the home page, a survey with a
// condition answered after one refusal, its results, the officials' builder and the moderation
// of a free-text answer. Every page on the way is axed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, c, launch, newContext, open, login, navigating, visibleText, expectNoAxeViolations } = require('./lib');

let browser;
const people = {};

before(async () => {
  browser = await launch();
  for (const who of ['admin', 'resident']) {
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

describe('surveys and polls', () => {
  it('the resident votes in the quick poll on the home page and sees the result', async () => {
    const page = people.resident;
    await open(page, c('/'));
    assert.match(await visibleText(page), /Де облаштувати новий сквер\?/);
    await expectNoAxeViolations(page, 'home page with a poll');
    await page.locator('section.poll input[type=radio]').nth(1).check();
    await submitForm(page, 'section.poll form');
    await open(page, c('/'));
    assert.match(await visibleText(page), /Біля річки: \d+%/);
  });

  it('the resident answers a survey; a condition shows the follow-up question', async () => {
    const page = people.resident;
    await open(page, c('/surveys'));
    await expectNoAxeViolations(page, 'survey list');
    await navigating(page, () => page.getByRole('link', { name: 'Громадський транспорт' }).click());
    await expectNoAxeViolations(page, 'survey form');
    const follow = page.locator('#q-q2');
    assert.equal(await follow.isHidden(), true, 'the follow-up waits for its condition');
    await page.locator('#q-q1-o2').check();
    assert.equal(await follow.isVisible(), true, 'choosing the car shows it');
    await submitForm(page, 'form.survey');
    assert.match(await visibleText(page), /Це питання обов'язкове/);
    await expectNoAxeViolations(page, 'survey form with errors');
    await page.locator('#q-q3-4').check();
    await page.locator('#q-q2-value').fill('Автобус ходить раз на годину.');
    await page.locator('select[name="q.q4.rank.o3"]').selectOption('1');
    await page.locator('select[name="q.q4.rank.o1"]').selectOption('2');
    await page.locator('select[name="q.q4.rank.o2"]').selectOption('3');
    await submitForm(page, 'form.survey');
    assert.match(await visibleText(page), /Відповідь збережено/);
    await navigating(page, () => page.getByRole('link', { name: 'Результати' }).click());
    assert.match(await visibleText(page), /Автобус ходить раз на годину/);
    await expectNoAxeViolations(page, 'survey results');
  });

  it('the resident comments on a draft decision', async () => {
    const page = people.resident;
    await open(page, c('/consultations'));
    await expectNoAxeViolations(page, 'consultations list');
    await navigating(page, () => page.getByRole('link', { name: 'Правила благоустрою громади' }).click());
    await expectNoAxeViolations(page, 'draft decision');
    await page.locator('#comment-1').fill('Пропоную тишу з 23:00 у п’ятницю та суботу.');
    await submitForm(page, 'form:has(#comment-1)');
    assert.match(await visibleText(page), /після перевірки модератором/);
  });

  it('the administrator moderates the comment', async () => {
    const page = people.admin;
    await open(page, c('/admin/consultations/drafts'));
    await expectNoAxeViolations(page, 'drafts admin');
    await navigating(page, () => page.getByRole('link', { name: 'Правила благоустрою громади' }).click());
    await expectNoAxeViolations(page, 'draft moderation');
    await navigating(page, () => page.getByRole('button', { name: 'Оприлюднити' }).first().click());
    assert.match(await visibleText(page), /Збережено/);
    await expectNoAxeViolations(page, 'draft with a published comment');
  });

  it('the administrator sees the surveys and the builder', async () => {
    const page = people.admin;
    await open(page, c('/admin/consultations'));
    await expectNoAxeViolations(page, 'surveys admin');
    await navigating(page, () => page.getByRole('link', { name: 'Громадський транспорт' }).click());
    assert.match(await visibleText(page), /Питання не можна змінювати/);
    await expectNoAxeViolations(page, 'survey builder');
  });

  it('the administrator hides a free-text answer, which leaves the public results', async () => {
    const page = people.admin;
    await open(page, c('/admin/consultations'));
    await navigating(page, () => page.getByRole('link', { name: 'Громадський транспорт' }).click());
    await navigating(page, () => page.getByRole('link', { name: 'Модерація текстових відповідей' }).click());
    await expectNoAxeViolations(page, 'free-text answers');
    const answer = page.locator('article', { hasText: 'Автобус ходить раз на годину.' });
    await answer.getByLabel('Причина').fill('Перевірка модерації');
    await navigating(page, () => answer.getByRole('button', { name: /Приховати/ }).click());
    assert.match(await visibleText(page), /Збережено/);
    assert.match(await visibleText(page), /Перевірка модерації/);
    await expectNoAxeViolations(page, 'free-text answers with a hidden one');
    const resident = people.resident;
    await open(resident, c('/surveys'));
    await navigating(resident, () => resident.getByRole('link', { name: 'Громадський транспорт' }).click());
    await navigating(resident, () => resident.getByRole('link', { name: 'Результати' }).click());
    assert.doesNotMatch(await visibleText(resident), /Автобус ходить раз на годину/);
  });
});
