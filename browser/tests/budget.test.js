'use strict';
// The participatory budget in the browser (in the second demo community): the administrator opens a contest and a category,
// a resident submits a project, the commission admits it, the administrator moves the dates on
// to voting, the resident (verified with the stub e-ID) votes and gets a receipt, and the
// results show the winner with a chart and a table. Every page on the way is axed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  DEMO,
  SECOND_COMMUNITY,
  c,
  launch,
  newContext,
  open,
  login,
  navigating,
  visibleText,
  expectNoAxeViolations,
} = require('./lib');

// The second demo community: its accounts have their own sign-in limits, which the walks in the
// main community use up.
const b = (path) => c(path, SECOND_COMMUNITY);

let browser;
let admin;
let resident;

before(async () => {
  browser = await launch();
  admin = await (await newContext(browser)).newPage();
  await login(admin, DEMO.admin, { loginPath: b('/login') });
  resident = await (await newContext(browser)).newPage();
  await login(resident, DEMO.resident, { loginPath: b('/login') });
});

after(async () => {
  if (browser) await browser.close();
});

/** A date `days` from today, as the server counts days: in Kyiv. */
function kyivDate(days) {
  const d = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Kyiv' }).format(d);
}

/** Sets the contest's six dates so that today falls in the phase wanted. */
async function setPhases(page, number, dates) {
  await open(page, b(`/admin/budget/${number}`));
  await setDates(page, dates);
  await navigating(page, () => page.locator('form:has(input[name=title]) button[type=submit]').click());
  assert.match(await visibleText(page), /Конкурс збережено/);
}

describe('participatory budget: submit, review, vote, results', () => {
  let contest;
  let project;

  it('the administrator opens a contest with a category', async () => {
    await open(admin, b('/admin/budget/new'));
    await expectNoAxeViolations(admin, 'budget: new contest');
    await admin.locator('input[name=title]').fill('Бюджет участі — тест у браузері');
    await admin.locator('input[name=total_budget]').fill('500000');
    await setDates(admin, [0, 1, 2, 2, 3, 4]);
    await navigating(admin, () => admin.locator('form:has(input[name=title]) button[type=submit]').click());
    const match = new URL(admin.url()).pathname.match(/\/admin\/budget\/(\d+)$/);
    assert.ok(match, `landed on ${admin.url()}`);
    contest = match[1];
    await expectNoAxeViolations(admin, 'budget: contest settings');
    const add = admin.locator('form:has(input[name=min_cost]):not(:has(input[name=id]))');
    await add.locator('input[name=name]').fill('Дворові проєкти');
    await add.locator('input[name=budget]').fill('500000');
    await add.locator('input[name=min_cost]').fill('10000');
    await add.locator('input[name=max_cost]').fill('200000');
    await add.locator('select[name=rule]').selectOption('approve');
    await add.locator('input[name=up_to]').fill('2');
    await navigating(admin, () => add.locator('button[type=submit]').click());
    assert.match(await visibleText(admin), /Категорію збережено/);
  });

  it('the resident submits a project with a cost breakdown', async () => {
    await open(resident, b(`/budget/${contest}`));
    await expectNoAxeViolations(resident, 'budget: contest page');
    await navigating(resident, () => resident.getByRole('link', { name: 'Подати проєкт' }).click());
    await expectNoAxeViolations(resident, 'budget: project form');
    await resident.locator('select[name=category]').selectOption({ index: 1 });
    await resident.locator('input[name=title]').fill('Дитячий майданчик у дворі');
    await resident.locator('input[name=summary]').fill('Гойдалки, пісочниця й лавки для батьків.');
    await resident.locator('textarea[name=body]').fill('Старий майданчик розібрали; діти граються на проїжджій частині. Пропонуємо новий.');
    await resident.locator('input[name=address]').fill('вул. Шкільна, 4');
    // A line that does not read first: the error names the line, in Ukrainian.
    await resident.locator('textarea[name=costs]').fill('Гойдалка; дві; 15000');
    await navigating(resident, () => resident.locator('form:has(textarea[name=costs]) button[type=submit]').click());
    assert.match(await visibleText(resident), /Рядок 1: кількість/);
    await expectNoAxeViolations(resident, 'budget: project form with errors');
    await resident.locator('textarea[name=costs]').fill('Гойдалка; 2; 15000\nПісочниця; 1; 8000\nЛавка; 4; 6000');
    await navigating(resident, () => resident.locator('form:has(textarea[name=costs]) button[type=submit]').click());
    const match = new URL(resident.url()).pathname.match(/\/budget\/projects\/(\d+)$/);
    assert.ok(match, `landed on ${resident.url()}`);
    project = match[1];
    await expectNoAxeViolations(resident, 'budget: project draft');
    await navigating(resident, () => resident.locator(`form[action$="/budget/projects/${project}/submit"] button[type=submit]`).click());
    assert.match(await visibleText(resident), /подано на розгляд/);
  });

  it('the commission admits the project during review', async () => {
    await setPhases(admin, contest, [-2, -1, 1, 1, 2, 3]);
    await open(admin, b(`/admin/budget/projects/${project}`));
    await expectNoAxeViolations(admin, 'budget: review');
    await admin.locator('input[value=competence]').check();
    await admin.locator('textarea[name=note]').fill('Відповідає положенню; кошторис реалістичний.');
    await navigating(admin, () => admin.locator('button[value=admit]').click());
    assert.match(await visibleText(admin), /Рішення комісії збережено/);
  });

  it('the verified resident votes and gets a receipt', async () => {
    await setPhases(admin, contest, [-4, -3, -2, -1, 2, 3]);
    await open(resident, b('/account/verify'));
    await navigating(resident, () => resident.getByRole('link', { name: /ID\.GOV\.UA/ }).click());
    await navigating(resident, () => resident.locator('a[href*="authorize"]').first().click());
    await resident.waitForURL(/\/account\/verify/);
    await open(resident, b(`/budget/${contest}/vote`));
    await expectNoAxeViolations(resident, 'budget: ballot');
    await resident.locator(`#p-${project}`).check();
    await navigating(resident, () => resident.getByRole('button', { name: 'Проголосувати' }).click());
    assert.match(await visibleText(resident), /Ваш голос зараховано/);
    const receipt = await resident.locator('code').first().textContent();
    assert.match(receipt, /^[A-Z0-9]{12}$/);
    await expectNoAxeViolations(resident, 'budget: receipt');
  });

  it('the results show the winner with a chart and its table', async () => {
    await open(resident, b(`/budget/${contest}/results`));
    await expectNoAxeViolations(resident, 'budget: results');
    const text = await visibleText(resident);
    assert.match(text, /Дитячий майданчик у дворі/);
    assert.match(text, /Переможець/);
    assert.equal(await resident.locator('svg.bar-chart').count(), 1);
    await open(resident, b(`/budget/${contest}/ballots`));
    await expectNoAxeViolations(resident, 'budget: public ballots');
    // The demo's past edition: its results, and its winners being carried out.
    await open(resident, b('/budget/1/results'));
    await expectNoAxeViolations(resident, 'budget: demo results');
    await open(resident, b('/budget/1/implementation'));
    await expectNoAxeViolations(resident, 'budget: implementation');
    assert.match(await visibleText(resident), /Виконано/);
  });
});

/** Fills the six dates of the contest form on the page. */
async function setDates(page, dates) {
  const names = ['submission_from', 'submission_to', 'review_to', 'revision_to', 'voting_to', 'results_to'];
  for (const [i, name] of names.entries()) {
    await page.locator(`input[name=${name}]`).fill(kyivDate(dates[i]));
  }
}
