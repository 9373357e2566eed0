'use strict';
// Keyboard-only flows: registration, e-mail confirmation, login and logout done
// with Tab, typing and Enter (page.keyboard only, no mouse clicks).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  COMMUNITY,
  DEMO,
  DEMO_PASSWORD,
  c,
  launch,
  newContext,
  open,
  navigating,
  visibleText,
  focused,
  tabUntil,
  uniqueEmail,
  truncate,
} = require('./lib');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

const FLASH = '[role=status], [role=alert], .flash, .flash-message, .notice, .alert';

/** Text of the visible flash / status messages of the page (empty if none). */
async function flashText(page) {
  const texts = await page.locator(FLASH).evaluateAll((els) =>
    els
      .filter((el) => el.offsetParent !== null || el.getClientRects().length > 0)
      .map((el) => el.innerText.replace(/\s+/g, ' ').trim())
      .filter(Boolean),
  );
  return texts.join(' | ');
}

/** Is the visitor logged in? (the header then carries the POST /logout form). */
async function loggedIn(page) {
  return (await page.locator('form[action$="/logout"]').count()) > 0;
}

/**
 * Log in at `loginPath` with the keyboard only: Tab to the e-mail field, type,
 * Tab to the password field, type, Tab to the submit button, press Enter.
 */
async function keyboardLogin(page, email, password, loginPath = c('/login')) {
  await open(page, loginPath);
  const inLoginForm = (f) => f.inForm !== null && !/logout|lang/.test(f.inForm || '');
  await tabUntil(page, (f) => f.tag === 'input' && f.name === 'email' && inLoginForm(f), 'the e-mail field');
  await page.keyboard.type(email);
  await tabUntil(page, (f) => f.tag === 'input' && f.name === 'password', 'the password field');
  await page.keyboard.type(password);
  await tabUntil(
    page,
    (f) => (f.tag === 'button' && f.type !== 'button' && f.type !== 'reset') || (f.tag === 'input' && f.type === 'submit'),
    'the login button',
    10,
  );
  await navigating(page, () => page.keyboard.press('Enter'));
}

/**
 * The confirmation link for `email` from the demo-mode mail page. The mail list
 * may show bodies inline or link to each mail; both are handled.
 */
async function confirmationLink(page, email) {
  const re = new RegExp(`/c/${COMMUNITY}/confirm/[A-Za-z0-9_.~%-]+`);
  await open(page, c('/dev/mail'));
  const find = () =>
    page.evaluate(
      ({ email, source }) => {
        const re = new RegExp(source);
        // The deepest element holding both the address and a confirmation link.
        const holds = (el) => el.textContent.includes(email) && (re.test(el.textContent) || re.test(el.innerHTML));
        let best = null;
        for (const el of document.body.querySelectorAll('*')) {
          if (holds(el)) best = el; // document order: descendants come after ancestors
        }
        if (!best) return null;
        const m = best.textContent.match(re) || best.innerHTML.match(re);
        return m ? m[0] : null;
      },
      { email, source: re.source },
    );
  let link = await find();
  if (!link) {
    // Mails listed by subject: open the ones addressed to `email`.
    const hrefs = await page.evaluate((email) => {
      const out = [];
      for (const a of document.querySelectorAll('a[href*="/dev/mail/"]')) {
        const item = a.closest('li, tr, article, section, div') || a;
        if (item.textContent.includes(email)) out.push(a.getAttribute('href'));
      }
      return out;
    }, email);
    for (const href of hrefs) {
      await open(page, href, { redirect: true });
      const m = (await page.content()).match(re);
      if (m) {
        link = m[0];
        break;
      }
    }
  }
  assert.ok(
    link,
    `no confirmation link for ${email} on ${c('/dev/mail')}; the page says: ${truncate(await visibleText(page), 600)}`,
  );
  return link;
}

describe('keyboard only: register, confirm e-mail, log in, log out', () => {
  let context;
  let page;
  const email = uniqueEmail('keyboard');
  const password = 'Klavish-lyshe-2026!';

  before(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  after(async () => {
    if (context) await context.close();
  });

  it('registers with Tab, typing and Enter, and is told to check the mail', async (t) => {
    await open(page, c('/register'));
    const values = {
      full_name: 'Олена Клавіатурна',
      email,
      password,
      password_confirm: password,
      birth_year: '1990',
    };
    const done = new Set();
    const needed = ['full_name', 'email', 'password', 'password_confirm', 'settlement_id', 'birth_year'];
    let submitted = false;
    const seen = [];
    for (let i = 0; i < 120 && !submitted; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      seen.push(`${f.tag}${f.name ? `[name=${f.name}]` : ''}`);
      if ((f.tag === 'input' || f.tag === 'textarea') && f.name in values && !done.has(f.name)) {
        await page.keyboard.type(values[f.name]);
        done.add(f.name);
      } else if (f.tag === 'select' && needed.includes(f.name) && !done.has(f.name)) {
        if (f.name === 'birth_year') {
          await page.keyboard.type(values.birth_year); // type-ahead picks the option "1990"
        } else {
          // Move off an empty placeholder option with the arrow keys.
          for (let k = 0; k < 3; k++) {
            const v = await page.evaluate(() => document.activeElement.value);
            if (v) break;
            await page.keyboard.press('ArrowDown');
          }
        }
        const v = await page.evaluate(() => document.activeElement.value);
        assert.ok(v, `the select ${f.name} has no value after keyboard selection`);
        done.add(f.name);
      } else if (f.tag === 'input' && f.type === 'checkbox') {
        const mustTick = await page.evaluate(
          () =>
            document.activeElement.required ||
            /consent|agree|terms|accept|privacy|rules|personal/i.test(document.activeElement.name),
        );
        const ticked = await page.evaluate(() => document.activeElement.checked);
        if (mustTick && !ticked) await page.keyboard.press('Space');
      } else if (
        ((f.tag === 'button' && f.type !== 'button' && f.type !== 'reset') || (f.tag === 'input' && f.type === 'submit')) &&
        needed.every((n) => done.has(n))
      ) {
        // Only the registration form's own button (not, say, a search form's).
        const ours = await page.evaluate(
          () => !!document.activeElement.form?.querySelector('[name=password_confirm]'),
        );
        if (!ours) continue;
        await navigating(page, () => page.keyboard.press('Enter'));
        submitted = true;
      }
    }
    assert.ok(
      submitted,
      `could not fill and submit the registration form by keyboard; filled ${[...done].join(', ')}; tab order: ${seen.join(' → ')}`,
    );
    const path = new URL(page.url()).pathname;
    const flash = await flashText(page);
    assert.notEqual(
      path,
      c('/register'),
      `registration did not go through (still on the form); the page says: ${truncate(flash || (await visibleText(page)), 600)}`,
    );
    assert.ok(flash, `after registration the page at ${path} shows no flash message (role=status/alert)`);
    t.diagnostic(`tab order: ${seen.join(' → ')}`);
    t.diagnostic(`after registration: ${path}: ${flash}`);
  });

  it('confirms the e-mail through the link in the demo mail', async (t) => {
    const link = await confirmationLink(page, email);
    t.diagnostic(`confirmation link: ${link}`);
    await open(page, link, { redirect: true });
    // A confirmation that needs a POST (to survive link scanners) shows one button.
    const form = page.locator('form[action*="/confirm/"]');
    if ((await form.count()) > 0) {
      await tabUntil(
        page,
        (f) => f.tag === 'button' && /confirm/.test(f.inForm || ''),
        'the confirmation button',
      );
      await navigating(page, () => page.keyboard.press('Enter'));
    }
    const flash = await flashText(page);
    assert.ok(flash, `confirming at ${link} showed no flash message; page: ${truncate(await visibleText(page), 400)}`);
    t.diagnostic(`after confirmation: ${new URL(page.url()).pathname}: ${flash}`);
  });

  it('logs in with the keyboard and sees the profile', async () => {
    // Registration may have signed the new resident in: start from a fresh session.
    await context.clearCookies();
    await open(page, c('/'));
    assert.ok(!(await loggedIn(page)), 'still signed in after clearing the cookies');
    await keyboardLogin(page, email, password);
    assert.notEqual(
      new URL(page.url()).pathname,
      c('/login'),
      `keyboard login stayed on the login page: ${truncate(await visibleText(page), 400)}`,
    );
    assert.ok(await loggedIn(page), 'after login the header has no logout button (form POST …/logout)');
    await open(page, c('/account'));
    assert.ok((await visibleText(page)).includes(email), `the profile page does not show ${email}`);
  });

  it('logs out with the keyboard (the header button)', async () => {
    await open(page, c('/'));
    await tabUntil(page, (f) => f.tag === 'button' && /logout/.test(f.inForm || ''), 'the logout button');
    await navigating(page, () => page.keyboard.press('Enter'));
    assert.ok(!(await loggedIn(page)), 'still logged in after pressing the logout button');
    const res = await page.goto(`${new URL(page.url()).origin}${c('/account')}`);
    const path = new URL(page.url()).pathname;
    assert.ok(
      path !== c('/account') || [401, 403].includes(res.status()),
      `the account page is still open after logout (${res.status()} ${page.url()})`,
    );
  });
});

describe('keyboard only: demo accounts', () => {
  let context;
  let page;
  before(async () => {
    context = await newContext(browser);
  });
  after(async () => {
    if (context) await context.close();
  });

  it('a wrong password keeps the visitor on the login page with an error', async () => {
    page = await context.newPage();
    await keyboardLogin(page, DEMO.resident, 'wrong-password-123');
    assert.equal(new URL(page.url()).pathname, c('/login'));
    assert.ok(!(await loggedIn(page)), 'logged in with a wrong password');
    await page.close();
  });

  it('the resident logs in with the keyboard', async () => {
    page = await context.newPage();
    await keyboardLogin(page, DEMO.resident, DEMO_PASSWORD);
    assert.ok(await loggedIn(page), `resident login failed: ${truncate(await visibleText(page), 400)}`);
    await open(page, c('/account'));
    assert.ok((await visibleText(page)).includes(DEMO.resident), 'the profile does not show the e-mail');
    const admin = await page.goto(`${new URL(page.url()).origin}${c('/admin')}`);
    assert.ok(
      [401, 403, 404].includes(admin.status()) || new URL(page.url()).pathname !== c('/admin'),
      `a resident can open the admin dashboard (${admin.status()})`,
    );
    await page.close();
    await context.clearCookies();
  });

  it('the community administrator logs in with the keyboard and reaches the admin', async () => {
    page = await context.newPage();
    await keyboardLogin(page, DEMO.admin, DEMO_PASSWORD);
    assert.ok(await loggedIn(page), `admin login failed: ${truncate(await visibleText(page), 400)}`);
    await open(page, c('/admin'));
    await page.close();
    await context.clearCookies();
  });

  it('the platform operator logs in with the keyboard at /platform/login', async () => {
    page = await context.newPage();
    await keyboardLogin(page, DEMO.operator, DEMO_PASSWORD, '/platform/login');
    assert.notEqual(new URL(page.url()).pathname, '/platform/login', 'operator login stayed on the login page');
    await open(page, '/platform');
    await page.close();
  });
});
