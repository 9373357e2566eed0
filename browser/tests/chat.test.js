'use strict';
// The community chatbot's web chat: a signed-in person answers the demo's quick poll in the chat with
// JavaScript (the forms are sent in the background and the conversation replaced), a visitor
// browses petitions with JavaScript off, a resident writes to the officials and the bot
// operator answers from the inbox; every page is axed on the way (JavaScript on).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, c, launch, newContext, open, login, navigating, expectNoAxeViolations } = require('./lib');

let browser;
const people = {};

before(async () => {
  browser = await launch();
  for (const [who, account, options] of [
    // Another demo account than the other suites' resident, whose first vote they check.
    ['resident', 'officer', {}],
    ['visitor', null, { javaScriptEnabled: false }],
    ['operator', 'bot', {}],
  ]) {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    if (account) await login(page, DEMO[account]);
    people[who] = page;
  }
});

after(async () => {
  if (browser) await browser.close();
});

/** The text of the last message in the conversation. */
async function lastMessage(page) {
  return (await page.locator('#chat-log > li').last().innerText()).trim();
}

/** Presses a chat button by its label and waits for the conversation to grow. */
async function press(page, label) {
  const before = await page.locator('#chat-log > li').count();
  await page.locator('#chat-log button', { hasText: label }).last().click();
  await page.waitForFunction((n) => document.querySelectorAll('#chat-log > li').length > n, before);
}

/** Types a message into the chat and waits for it to appear. */
async function say(page, text) {
  const before = await page.locator('#chat-log > li').count();
  await page.locator('#chat-text').fill(text);
  await page.locator('form.chat-input button[type=submit]').click();
  await page.waitForFunction((n) => document.querySelectorAll('#chat-log > li').length > n, before);
}

describe('web chat', () => {
  it('greets, shows the menu, and answers the quick poll without reloading the page', async () => {
    const page = people.resident;
    await open(page, c('/chat'));
    assert.match(await page.locator('#chat-log').innerText(), /Вітаємо!/);
    await expectNoAxeViolations(page, 'web chat');
    let reloaded = false;
    page.once('load', () => {
      reloaded = true;
    });
    await press(page, 'Опитування');
    assert.match(await lastMessage(page), /Відкриті опитування/);
    const poll = page.locator('#chat-log > li').last().locator('button').first();
    const title = (await poll.innerText()).trim();
    await press(page, title);
    const asked = await page.locator('#chat-log').innerText();
    // The demo resident may have answered the poll on the home page already.
    if (!/Ви вже відповіли/.test(asked)) {
      assert.match(await lastMessage(page), /Питання 1 з/);
      const first = page.locator('#chat-log > li').last().locator('button').first();
      await press(page, (await first.innerText()).trim());
      assert.match(await lastMessage(page), /Надіслати відповіді\?/);
      await press(page, 'Надіслати');
      assert.match(await page.locator('#chat-log').innerText(), /Відповідь збережено|Відповідь змінено/);
    }
    assert.equal(reloaded, false, 'the chat went on in place');
    await expectNoAxeViolations(page, 'web chat after a poll');
  });

  it('opens from any page of the community in a dialog, and closes back to its button', async () => {
    const page = people.resident;
    await open(page, c('/'));
    const launcher = page.locator('button.chat-launcher');
    await launcher.waitFor({ state: 'visible' });
    await launcher.click();
    const dialog = page.locator('dialog.chat-dialog');
    await dialog.locator('#chat-text').waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, 'chat dialog on the home page');
    const before = await dialog.locator('#chat-log > li').count();
    await dialog.locator('#chat-text').fill('меню');
    await dialog.locator('form.chat-input button[type=submit]').click();
    await page.waitForFunction((n) => document.querySelectorAll('dialog #chat-log > li').length > n, before);
    assert.match(await dialog.locator('#chat-log > li').last().innerText(), /Головне меню/);
    assert.equal(new URL(page.url()).pathname, c('/'), 'still on the home page');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.className), 'chat-launcher');
  });

  it('works with JavaScript off: a visitor browses the petitions', async () => {
    const page = people.visitor;
    await open(page, c('/chat'));
    await navigating(page, () => page.locator('#chat-log button', { hasText: 'Петиції' }).first().click());
    const text = await page.locator('#chat-log > li').last().innerText();
    assert.match(text, /Петиції, що збирають підписи|Зараз жодна петиція/);
    await page.locator('#chat-text').fill('меню');
    await navigating(page, () => page.locator('form.chat-input button[type=submit]').click());
    assert.match(await page.locator('#chat-log > li').last().innerText(), /Головне меню/);
  });

  it('a resident writes to the officials and the operator answers from the inbox', async () => {
    const page = people.resident;
    await open(page, c('/chat'));
    await say(page, 'меню');
    await press(page, 'Написати посадовцю');
    await say(page, 'Коли почнуть прибирати сніг на Шкільній?');

    const operator = people.operator;
    await open(operator, c('/admin/bot'));
    await expectNoAxeViolations(operator, 'bot admin');
    await open(operator, c('/admin/bot/inbox'));
    await expectNoAxeViolations(operator, 'chat inbox');
    await navigating(operator, () => operator.locator('table a').first().click());
    await expectNoAxeViolations(operator, 'a conversation');
    await operator.locator('#reply-text').fill('Прибирання почнеться завтра о 6:00.');
    await navigating(operator, () => operator.locator('form[action$="/reply"] button[type=submit]').click());
    for (const path of ['/admin/bot/menu', '/admin/bot/broadcasts', '/admin/bot/canned']) {
      await open(operator, c(path));
      await expectNoAxeViolations(operator, path);
    }
    await open(page, c('/chat'));
    assert.match(await page.locator('#chat-log').innerText(), /Прибирання почнеться завтра/);
  });
});
