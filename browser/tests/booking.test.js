'use strict';
// Booking in the browser: a resident picks a CNAP window, a day and a free time, confirms it,
// sees the code in their bookings and cancels it; CNAP staff find the visit by its code in the
// day's queue and open the window's settings. Every page is axed. (Booking uses plain links and
// forms only; axe itself needs JavaScript in the page, so this walk keeps it on.)

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, c, launch, newContext, open, login, navigating, visibleText, expectNoAxeViolations } = require('./lib');

let browser;
let resident;
let staff;

before(async () => {
  browser = await launch();
  resident = await (await newContext(browser)).newPage();
  await login(resident, DEMO.resident);
  staff = await (await newContext(browser)).newPage();
  await login(staff, DEMO.cnap);
});

after(async () => {
  if (browser) await browser.close();
});

describe('booking: a resident books and cancels, staff see the queue', () => {
  it('the resident books a free time at a CNAP window and gets a code', async () => {
    await open(resident, c('/booking'));
    await expectNoAxeViolations(resident, 'booking: what to book');
    await navigating(resident, () => resident.getByRole('link', { name: /Реєстрація місця проживання/ }).click());
    await expectNoAxeViolations(resident, 'booking: days and times');
    await navigating(resident, () => resident.locator('ul.slots a.button').first().click());
    await expectNoAxeViolations(resident, 'booking: confirm');
    await navigating(resident, () => resident.locator('form button[type=submit]').last().click());
    assert.match(new URL(resident.url()).pathname, /\/booking\/mine$/);
    const text = await visibleText(resident);
    assert.match(text, /Ви записані/);
    const code = await resident.locator('strong.code').first().textContent();
    assert.match(code, /^[A-Z0-9]{6}$/);
    await expectNoAxeViolations(resident, 'booking: my bookings');
  });

  it('CNAP staff find the visit by its code in the day queue', async () => {
    await open(staff, c('/admin/booking'));
    await expectNoAxeViolations(staff, 'booking admin');
    const code = await resident.locator('strong.code').first().textContent();
    await staff.fill('#f-code', code.toLowerCase());
    await navigating(staff, () => staff.locator('form[role=search] button[type=submit]').last().click());
    assert.match(staff.url(), /\/day\?date=/);
    assert.match(await visibleText(staff), new RegExp(code));
    await expectNoAxeViolations(staff, 'booking: day queue');
    await navigating(staff, () => staff.getByRole('link', { name: 'Налаштування' }).first().click());
    await expectNoAxeViolations(staff, 'booking: window settings');
  });

  it('the resident cancels the booking', async () => {
    await open(resident, c('/booking/mine'));
    await navigating(resident, () => resident.locator('form.inline-form button[type=submit]').first().click());
    assert.match(await visibleText(resident), /Запис скасовано/);
  });
});
