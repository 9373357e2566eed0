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
  axeViolations,
  formatViolations,
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

/**
 * Same-origin links on the current page whose path starts with `prefix`
 * (query and fragment dropped), minus `skip`.
 */
async function linksUnder(page, prefix, skip = []) {
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
  const origin = new URL(page.url()).origin;
  const out = new Set();
  for (const h of hrefs) {
    let u;
    try {
      u = new URL(h);
    } catch {
      continue;
    }
    if (u.origin !== origin) continue;
    if (u.pathname === prefix || u.pathname.startsWith(prefix.replace(/\/?$/, '/'))) {
      if (!skip.includes(u.pathname)) out.add(u.pathname);
    }
  }
  return [...out].sort();
}

const NOT_A_PAGE = /\/(logout|delete|export|download)(\/|$)|\.(csv|json|xlsx|zip|pdf|rss|atom|xml)$/;

/**
 * Pages under `prefix` reachable by links from `start` (breadth first): at most
 * `perShape` pages of one shape (ids replaced by a placeholder), `max` in all.
 * A link that redirects (say, to the login form) is left out; a link that ends
 * in 404 or a server error fails the test, naming the page that links it.
 */
async function crawl(page, start, prefix, { max = 40, perShape = 2, skip = null } = {}) {
  const shapes = new Map();
  const seen = new Set();
  const queue = [[start, null]];
  const found = [];
  while (queue.length && found.length < max) {
    const [path, from] = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    const shape = path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+/gi, '{id}');
    const n = shapes.get(shape) || 0;
    if (n >= perShape) continue;
    const response = await open(page, path, { status: null, redirect: true });
    const status = response.status();
    assert.ok(
      status !== 404 && status < 500,
      `GET ${path} answered ${status}${from ? ` (linked from ${from})` : ''}`,
    );
    if (new URL(page.url()).pathname !== path || status !== 200) continue;
    shapes.set(shape, n + 1);
    found.push(path);
    for (const next of await linksUnder(page, prefix)) {
      if (!seen.has(next) && !NOT_A_PAGE.test(next) && !(skip && skip.test(next))) queue.push([next, path]);
    }
  }
  return found;
}

/** A test that crawls the community's public pages and checks them all. */
function publicPagesTest(who, getPage, done) {
  it(`public pages linked from the community home (${who}) have no axe violations`, async (t) => {
    const page = getPage();
    const skip = /\/(lang|api|static|uploads|confirm|logout|admin|account|dev)(\/|$)|\/password\/reset\//;
    const all = await crawl(page, c('/'), c('/'), { max: 40, skip });
    const paths = all.filter((p) => !done.includes(p));
    t.diagnostic(`public pages (${who}): ${paths.join(' ') || '(none besides the ones above)'}`);
    await checkAll(page, paths, `public page (${who})`);
  });
}

/** Axe every page in `paths`; one failure listing the violations of all of them. */
async function checkAll(page, paths, label) {
  const reports = [];
  for (const path of paths) {
    await open(page, path);
    const v = await axeViolations(page);
    if (v.length) reports.push(formatViolations(v, `${label} (${path})`));
  }
  if (reports.length) {
    const text = reports.join('\n');
    console.log(text);
    assert.fail(text);
  }
}

/** A describe block whose tests share one logged-in (or anonymous) page. */
function role(name, setup, pages, extra) {
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
    if (extra) extra(() => page, pages.map((p) => p.path));
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
  { label: 'not found page outside communities', path: '/no-such-page-for-sure', status: 404 },
  { label: 'second community home', path: c('/', SECOND_COMMUNITY) },
  { label: 'second community about', path: c('/about', SECOND_COMMUNITY) },
  { label: 'petition search with results', path: c('/petitions?q=%D0%BE%D1%81%D0%B2%D1%96%D1%82') },
  { label: 'petition search without results', path: c('/petitions?q=zzzzqqq') },
], (getPage, done) => publicPagesTest('anonymous', getPage, done));

role(
  'resident',
  (page) => login(page, DEMO.resident),
  [
    { label: 'community home, logged in', path: c('/') },
    { label: 'account profile', path: c('/account') },
    { label: 'identity verification', path: c('/account/verify') },
    { label: 'account deletion form', path: c('/account/delete') },
  ],
  (getPage, done) => {
    publicPagesTest('resident', getPage, done);
    it('account pages linked from the profile have no axe violations', async (t) => {
      const page = getPage();
      const paths = (await crawl(page, c('/account'), c('/account'), { max: 15 })).filter((p) => !done.includes(p));
      t.diagnostic(`account pages: ${paths.join(' ') || '(none besides the ones above)'}`);
      await checkAll(page, paths, 'account page');
    });
  },
);

role('community administrator', (page) => login(page, DEMO.admin), [
  { label: 'admin dashboard', path: c('/admin') },
  { label: 'admin: users', path: c('/admin/users') },
  { label: 'admin: departments', path: c('/admin/departments') },
  { label: 'admin: settlements', path: c('/admin/settlements') },
  { label: 'admin: settings', path: c('/admin/settings') },
  { label: 'admin: audit log', path: c('/admin/audit') },
], (getPage) => {
  publicPagesTest('community administrator', getPage, []);
  it('admin pages reachable by links from the dashboard have no axe violations', async (t) => {
    const page = getPage();
    const paths = await crawl(page, c('/admin'), c('/admin'));
    t.diagnostic(`admin pages: ${paths.join(' ')}`);
    assert.ok(paths.length >= 6, `expected the admin navigation to link the admin pages, found ${paths.join(' ')}`);
    await checkAll(page, paths, 'admin page');
  });
});

for (const who of ['moderator', 'editor', 'officer', 'bot', 'cnap']) {
  role(
    `staff: ${who}`,
    (page) => login(page, DEMO[who]),
    [{ label: `admin dashboard as ${who}`, path: c('/admin') }],
    (getPage) => {
      it(`the admin pages open to the ${who} have no axe violations`, async () => {
        const page = getPage();
        const paths = (await crawl(page, c('/admin'), c('/admin'), { max: 15 })).slice(1);
        await checkAll(page, paths, `admin page as ${who}`);
      });
    },
  );
}

role(
  'second community administrator',
  (page) => login(page, DEMO.admin, { loginPath: c('/login', SECOND_COMMUNITY) }),
  [
    { label: 'second community admin dashboard', path: c('/admin', SECOND_COMMUNITY) },
    { label: 'second community admin: settings', path: c('/admin/settings', SECOND_COMMUNITY) },
  ],
);

role(
  'platform operator',
  (page) => login(page, DEMO.operator, { loginPath: '/platform/login' }),
  [{ label: 'platform dashboard', path: '/platform' }],
  (getPage) => {
    it('platform pages linked from the dashboard have no axe violations', async (t) => {
      const page = getPage();
      const paths = (await crawl(page, '/platform', '/platform', { max: 20 })).filter(
        (p) => !['/platform', '/platform/login'].includes(p),
      );
      t.diagnostic(`platform pages: ${paths.join(' ')}`);
      await checkAll(page, paths, 'platform page');
    });
  },
);

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

  it('forgotten password: the answer, the mail list and the reset form have no axe violations', async () => {
    await open(page, c('/password/forgot'));
    await page.locator('input[name=email]').fill(DEMO.resident);
    await navigating(page, () => submitButtonOf(page, 'input[name=email]').click());
    await expectNoAxeViolations(page, 'after asking for a password reset');
    await open(page, c('/dev/mail'));
    await expectNoAxeViolations(page, 'outgoing mail with a reset mail');
    const re = new RegExp(`${c('/password/reset/')}[A-Za-z0-9_.~%-]+`);
    let m = (await page.content()).match(re);
    if (!m) {
      // Mails listed by subject: the newest mail to the resident.
      const href = await page
        .locator('a[href*="/dev/mail/"]')
        .first()
        .getAttribute('href')
        .catch(() => null);
      if (href) {
        await open(page, href, { redirect: true });
        await expectNoAxeViolations(page, 'one outgoing mail');
        m = (await page.content()).match(re);
      }
    }
    assert.ok(m, `no password reset link for ${DEMO.resident} on ${c('/dev/mail')}`);
    await open(page, m[0]);
    assert.ok((await page.locator('input[type=password]').count()) > 0, 'the reset page has no password field');
    await expectNoAxeViolations(page, 'password reset form');
  });

  it('API docs page answers (not checked by axe: third-party Swagger UI)', async () => {
    await open(page, c('/api/docs'), { redirect: true });
  });
});

