'use strict';
// Shared helpers for the browser suite: Chromium launch, axe checks, logins,
// keyboard navigation. Plain Node (node:test) + playwright-core, no downloads:
// the browser is the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const axeSource = require('axe-core').source;

const BASE_URL = (process.env.BASE_URL || '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error('BASE_URL is not set; start the app and export BASE_URL (browser/run.sh does both)');
}

const COMMUNITY = process.env.HROMADA_COMMUNITY || 'sievierodonetska';
const SECOND_COMMUNITY = process.env.HROMADA_SECOND_COMMUNITY || 'bobrovytska';
const DEMO_PASSWORD = 'hromada-demo';
const DEMO = {
  admin: 'admin@demo.hromada',
  moderator: 'moderator@demo.hromada',
  editor: 'editor@demo.hromada',
  officer: 'officer@demo.hromada',
  bot: 'bot@demo.hromada',
  cnap: 'cnap@demo.hromada',
  resident: 'resident@demo.hromada',
  operator: 'operator@demo.hromada',
};

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Path of a page of the main test community, e.g. c('/login'). */
function c(path = '/', community = COMMUNITY) {
  const p = path === '/' ? '/' : path;
  return `/c/${community}${p}`;
}

/** Absolute URL for an app path. */
function url(path) {
  return BASE_URL + path;
}

async function launch() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    locale: 'uk-UA',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(30000);
  return context;
}

/**
 * Open a page and check the final status; unless `redirect` is true, also check
 * that no redirect happened (a page behind a login would otherwise "pass" as
 * the login form).
 */
async function open(page, path, { status = 200, redirect = false } = {}) {
  const response = await page.goto(url(path), { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  if (status !== null) {
    assert.equal(
      response.status(),
      status,
      `GET ${path} answered ${response.status()} (expected ${status}); landed on ${page.url()}`,
    );
  }
  if (!redirect) {
    const wanted = new URL(url(path)).pathname;
    const got = new URL(page.url()).pathname;
    assert.equal(got, wanted, `GET ${path} was redirected to ${page.url()}`);
  }
  return response;
}

function truncate(s, n = 300) {
  s = String(s).replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** Human-readable text for a list of axe violations. */
function formatViolations(violations, where) {
  const lines = [`${violations.length} axe violation(s) on ${where}:`];
  for (const v of violations) {
    lines.push(`  [${v.impact || 'n/a'}] ${v.id}: ${v.help}`);
    lines.push(`    ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`    - element: ${node.target.join(' ')}`);
      lines.push(`      html:    ${truncate(node.html)}`);
      if (node.failureSummary) {
        for (const l of node.failureSummary.split('\n')) lines.push(`      ${l.trim()}`);
      }
    }
    if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more element(s)`);
  }
  return lines.join('\n');
}

/** Run axe (WCAG 2.0/2.1 A and AA) on the current page; returns the violations. */
async function axeViolations(page, { exclude = [] } = {}) {
  const already = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!already) await page.evaluate(axeSource);
  const results = await page.evaluate(
    async ({ tags, exclude }) => {
      const context = exclude.length ? { include: [['html']], exclude: exclude.map((s) => [s]) } : document;
      const r = await window.axe.run(context, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary })),
      }));
    },
    { tags: AXE_TAGS, exclude },
  );
  return results;
}

/** Assert the current page has no axe violations; prints them readably otherwise. */
async function expectNoAxeViolations(page, label, options) {
  const violations = await axeViolations(page, options);
  const where = `${label} (${new URL(page.url()).pathname}${new URL(page.url()).search})`;
  if (violations.length) {
    const text = formatViolations(violations, where);
    console.log(text);
    assert.fail(text);
  }
}

/** The submit button of the form that holds `fieldSelector`. */
function submitButtonOf(page, fieldSelector) {
  return page
    .locator(`form:has(${fieldSelector})`)
    .locator('button[type=submit], button:not([type]), input[type=submit]')
    .first();
}

/** Run `action` (a click or a key press) and wait for the page load it causes. */
async function navigating(page, action) {
  const nav = page.waitForNavigation({ waitUntil: 'load', timeout: 30000 });
  await action();
  return nav;
}

/** Log in with a filled form (not the keyboard test: that one lives in keyboard.test.js). */
async function login(page, email, { password = DEMO_PASSWORD, loginPath = c('/login') } = {}) {
  await open(page, loginPath);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await navigating(page, () => submitButtonOf(page, 'input[name=password]').click());
  await page.waitForLoadState('load');
  const path = new URL(page.url()).pathname;
  assert.notEqual(
    path,
    loginPath,
    `login as ${email} at ${loginPath} stayed on the login page: ${truncate(await visibleText(page), 400)}`,
  );
}

/** Visible text of the body, whitespace collapsed. */
async function visibleText(page) {
  return (await page.locator('body').innerText()).replace(/\s+/g, ' ').trim();
}

/** A compact description of the focused element. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '', type: '', id: '', href: '', text: '' };
    return {
      tag: el.tagName.toLowerCase(),
      name: el.getAttribute('name') || '',
      type: el.getAttribute('type') || '',
      id: el.id || '',
      href: el.getAttribute('href') || '',
      text: (el.innerText || el.value || '').trim().slice(0, 80),
      inForm: el.form ? el.form.getAttribute('action') || '' : null,
    };
  });
}

/**
 * Press Tab (keyboard only) until the focused element satisfies `predicate`.
 * Fails if it is not reached within `max` presses: that is itself a keyboard
 * accessibility bug (element not focusable, or out of the tab order).
 */
async function tabUntil(page, predicate, what, max = 80) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (predicate(f)) return f;
    seen.push(`${f.tag}${f.name ? `[name=${f.name}]` : ''}${f.id ? `#${f.id}` : ''}${f.href ? `(${f.href})` : ''}`);
  }
  assert.fail(`could not reach ${what} with Tab in ${max} presses; tab order was: ${seen.join(' → ')}`);
}

function uniqueEmail(prefix) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

module.exports = {
  BASE_URL,
  COMMUNITY,
  SECOND_COMMUNITY,
  DEMO,
  DEMO_PASSWORD,
  c,
  url,
  launch,
  newContext,
  open,
  axeViolations,
  expectNoAxeViolations,
  formatViolations,
  submitButtonOf,
  navigating,
  login,
  visibleText,
  focused,
  tabUntil,
  uniqueEmail,
  truncate,
};
