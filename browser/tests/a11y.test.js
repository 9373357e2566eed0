'use strict';
// Every page of the public site, the account area, the community admin and the
// platform operator's area must have no axe-core violations of WCAG 2.0/2.1 A and AA.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  SECOND_COMMUNITY,
  DEMO,
  c,
  launch,
  newContext,
  open,
  expectNoAxeViolations,
  login,
  navigating,
  submitButtonOf,
  uniqueEmail,
} = require('./lib');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

/** A describe block whose tests share one logged-in (or anonymous) page. */
function role(name, setup, pages) {
  describe(name, () => {
    let context;
    let page;
    before(async () => {
      context = await newContext(browser);
      page = await context.newPage();
      if (setup) await setup(page);
    });
    after(async () => {
      if (context) await context.close();
    });
    for (const p of pages) {
      it(`${p.label}: ${p.path} has no axe violations`, async () => {
        await open(page, p.path, { status: p.status ?? 200 });
        await expectNoAxeViolations(page, p.label);
      });
    }
  });
}

role('anonymous visitor', null, [
  { label: 'platform landing', path: '/' },
  { label: 'platform operator login', path: '/platform/login' },
  { label: 'community home', path: c('/') },
  { label: 'about the community', path: c('/about') },
  { label: 'registration form', path: c('/register') },
  { label: 'login form', path: c('/login') },
  { label: 'forgotten password', path: c('/password/forgot') },
  { label: 'outgoing mail (demo mode)', path: c('/dev/mail') },
  { label: 'not found page', path: c('/no-such-page-for-sure'), status: 404 },
  { label: 'second community home', path: c('/', SECOND_COMMUNITY) },
  { label: 'second community about', path: c('/about', SECOND_COMMUNITY) },
]);

role('resident', (page) => login(page, DEMO.resident), [
  { label: 'community home, logged in', path: c('/') },
  { label: 'account profile', path: c('/account') },
  { label: 'identity verification', path: c('/account/verify') },
]);

role('community administrator', (page) => login(page, DEMO.admin), [
  { label: 'admin dashboard', path: c('/admin') },
  { label: 'admin: users', path: c('/admin/users') },
  { label: 'admin: departments', path: c('/admin/departments') },
  { label: 'admin: settlements', path: c('/admin/settlements') },
  { label: 'admin: settings', path: c('/admin/settings') },
  { label: 'admin: audit log', path: c('/admin/audit') },
]);

role('platform operator', (page) => login(page, DEMO.operator, { loginPath: '/platform/login' }), [
  { label: 'platform dashboard', path: '/platform' },
]);

role(
  'visitor with English UI',
  async (page) => {
    await open(page, `${c('/lang/en')}?next=${encodeURIComponent(c('/'))}`, { redirect: true });
  },
  [
    { label: 'community home (en)', path: c('/') },
    { label: 'about (en)', path: c('/about') },
    { label: 'registration form (en)', path: c('/register') },
    { label: 'login form (en)', path: c('/login') },
    { label: 'not found page (en)', path: c('/no-such-page-for-sure'), status: 404 },
  ],
);

describe('pages with form errors and messages', () => {
  let context;
  let page;
  before(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  after(async () => {
    if (context) await context.close();
  });

  it('login form after a wrong password has no axe violations', async () => {
    await open(page, c('/login'));
    await page.locator('input[name=email]').fill(DEMO.resident);
    await page.locator('input[name=password]').fill('not-the-password');
    await navigating(page, () => submitButtonOf(page, 'input[name=password]').click());
    const path = new URL(page.url()).pathname;
    assert.equal(path, c('/login'), `a wrong password should keep the visitor on the login page, got ${page.url()}`);
    await expectNoAxeViolations(page, 'login form with an error');
  });

  it('registration form with mismatched passwords has no axe violations', async () => {
    await open(page, c('/register'));
    await page.locator('input[name=full_name]').fill('Тест Помилковий');
    await page.locator('input[name=email]').fill(uniqueEmail('a11y'));
    await page.locator('input[name=password]').fill('Dovhyi-paro1-2026');
    await page.locator('input[name=password_confirm]').fill('Inshyi-paro1-2026');
    const settlement = page.locator('select[name=settlement_id]');
    const values = await settlement.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(values.length > 0, 'the settlement select has no options');
    await settlement.selectOption(values[0]);
    const birth = page.locator('[name=birth_year]');
    if ((await birth.evaluate((el) => el.tagName)) === 'SELECT') {
      const years = await birth.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      await birth.selectOption(years.find((y) => y === '1990') || years[Math.floor(years.length / 2)]);
    } else {
      await birth.fill('1990');
    }
    await navigating(page, () => submitButtonOf(page, 'input[name=password_confirm]').click());
    assert.ok(
      (await page.locator('input[name=password_confirm]').count()) > 0,
      `mismatched passwords should show the form again, got ${page.url()}`,
    );
    await expectNoAxeViolations(page, 'registration form with errors');
  });

  it('API docs page answers (not checked by axe: third-party Swagger UI)', async () => {
    await open(page, c('/api/docs'), { redirect: true });
  });
});

