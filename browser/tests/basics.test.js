'use strict';
// Page basics: the document language follows the UI language, and a skip link
// is the first focusable element and moves focus to the main content (#main).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, c, launch, newContext, open, focused, login } = require('./lib');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

const htmlLang = (page) => page.evaluate(() => document.documentElement.getAttribute('lang'));

describe('document language', () => {
  let context;
  let page;
  before(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  after(async () => {
    if (context) await context.close();
  });

  it('is Ukrainian by default', async () => {
    for (const path of ['/', c('/'), c('/login'), c('/register')]) {
      await open(page, path);
      assert.equal(await htmlLang(page), 'uk', `<html lang> on ${path}`);
    }
  });

  it('is English after /lang/en, which returns to `next`, and stays English', async () => {
    await open(page, `${c('/lang/en')}?next=${encodeURIComponent(c('/'))}`, { redirect: true });
    assert.equal(new URL(page.url()).pathname, c('/'), 'the language switch did not return to `next`');
    assert.equal(await htmlLang(page), 'en', '<html lang> after switching to English');
    await open(page, c('/login'));
    assert.equal(await htmlLang(page), 'en', '<html lang> on the next page after switching to English');
  });

  it('is Ukrainian again after /lang/uk', async () => {
    await open(page, `${c('/lang/uk')}?next=${encodeURIComponent(c('/about'))}`, { redirect: true });
    assert.equal(new URL(page.url()).pathname, c('/about'));
    assert.equal(await htmlLang(page), 'uk');
  });

  it('ignores an off-site `next` (no open redirect)', async () => {
    await open(page, `${c('/lang/en')}?next=${encodeURIComponent('https://example.com/')}`, {
      redirect: true,
      status: null,
    });
    assert.equal(new URL(page.url()).host, new URL(process.env.BASE_URL).host, `redirected off-site to ${page.url()}`);
    await open(page, `${c('/lang/uk')}?next=${encodeURIComponent(c('/'))}`, { redirect: true });
  });
});

/** Load `path`, press Tab once: the skip link; press Enter: focus on #main. */
async function checkSkipLink(page, path) {
  await open(page, path, { status: null });
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first.tag, 'a', `on ${path} the first Tab stop is <${first.tag}> ${first.text}, not the skip link`);
  assert.match(first.href, /#main$/, `on ${path} the first link points to ${first.href}, not #main`);
  const visibleWhenFocused = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0;
  });
  assert.ok(visibleWhenFocused, `on ${path} the skip link is not visible when focused`);
  await page.keyboard.press('Enter');
  const target = await page.evaluate(() => ({
    exists: !!document.getElementById('main'),
    focusedId: document.activeElement ? document.activeElement.id : '',
    inside: !!document.getElementById('main') && document.getElementById('main').contains(document.activeElement),
  }));
  assert.ok(target.exists, `on ${path} there is no element with id="main"`);
  assert.ok(
    target.focusedId === 'main' || target.inside,
    `on ${path} the skip link did not move focus to #main (focus is on #${target.focusedId || 'body'}; #main needs tabindex="-1")`,
  );
}

describe('skip link', () => {
  let context;
  let page;
  before(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  after(async () => {
    if (context) await context.close();
  });

  for (const path of ['/', '/platform/login', c('/'), c('/about'), c('/login'), c('/register'), c('/no-such-page-for-sure')]) {
    it(`is the first focusable element on ${path} and moves focus to #main`, async () => {
      await checkSkipLink(page, path);
    });
  }

  it('works on the admin dashboard too', async () => {
    const adminPage = await (await newContext(browser)).newPage();
    try {
      await login(adminPage, DEMO.admin);
      await checkSkipLink(adminPage, c('/admin'));
    } finally {
      await adminPage.context().close();
    }
  });

  it('the main content follows the skip link: the next Tab stays inside or after #main', async () => {
    await open(page, c('/login'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const where = await page.evaluate(() => {
      const main = document.getElementById('main');
      const el = document.activeElement;
      if (!main || !el) return 'none';
      if (main.contains(el)) return 'inside';
      return main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING ? 'after' : 'before';
    });
    assert.notEqual(where, 'before', 'after the skip link, Tab went back into the header');
  });
});
