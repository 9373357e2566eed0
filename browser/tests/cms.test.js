'use strict';
// The site constructor in the browser: an editor fills the media library, builds a page from
// every kind of block, publishes it, writes news and files a document; an administrator of
// the second community changes its theme (a refused palette first) and builds a two-level
// menu. Every page on the way, and every block on the public page, is axed.

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

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const RUN = `${Date.now()}`.slice(-6);

let browser;
let editor;
let admin;

before(async () => {
  browser = await launch();
  const editorContext = await newContext(browser);
  // The video player is a third-party page; offline, it is answered with an empty one.
  await editorContext.route(/^https:\/\/www\.youtube-nocookie\.com\//, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Video</title><p>Video</p></html>' }),
  );
  editor = await editorContext.newPage();
  await login(editor, DEMO.editor);
  const adminContext = await newContext(browser);
  admin = await adminContext.newPage();
  await login(admin, DEMO.admin, { loginPath: c('/login', SECOND_COMMUNITY) });
});

after(async () => {
  if (browser) await browser.close();
});

async function submit(page, form) {
  await navigating(page, () => page.locator(form).locator('button[type=submit]').first().click());
}

/** Adds a block of `kind` on the page editor, fills it with `fill`, saves it. */
async function addBlock(page, kind, fill, { axe = false } = {}) {
  await page.locator('select[name=kind]').selectOption(kind);
  await navigating(page, () => page.getByRole('button', { name: 'Додати блок' }).click());
  if (axe) await expectNoAxeViolations(page, `block form: ${kind}`);
  await fill(page);
  await navigating(page, () => page.getByRole('button', { name: 'Зберегти' }).click());
  assert.match(await visibleText(page), /Збережено/, `the ${kind} block was saved`);
}

describe('site constructor', () => {
  it('an editor uploads an image, builds a page from every block and publishes it', async () => {
    const page = editor;
    await open(page, c('/admin/cms/media'));
    await expectNoAxeViolations(page, 'media library');
    await page.locator('input[name=file]').setInputFiles({ name: 'ploshcha.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('input[name=file_alt]').fill(`Площа Миру взимку ${RUN}`);
    await submit(page, 'form[enctype="multipart/form-data"]');
    assert.match(await visibleText(page), /Файл додано до медіатеки/);

    await open(page, c('/admin/cms'));
    await expectNoAxeViolations(page, 'site pages');
    await page.locator('#f-title_uk').fill(`Сторінка перевірки ${RUN}`);
    await page.locator('#f-slug').fill(`perevirka-${RUN}`);
    await navigating(page, () => page.getByRole('button', { name: 'Створити сторінку' }).click());
    await expectNoAxeViolations(page, 'page editor');

    await addBlock(page, 'text', (p) => p.locator('#f-uk').fill('## Про перевірку\n\nЦя сторінка зібрана **з блоків**.'), { axe: true });
    await addBlock(page, 'notice', async (p) => {
      await p.locator('#f-level').selectOption('warning');
      await p.locator('#f-uk').fill('Увага: прийом переноситься.');
    });
    await addBlock(page, 'image', async (p) => {
      await p.locator('#f-media').selectOption({ index: 1 });
      await p.locator('#f-alt_uk').fill('Площа Миру взимку');
      await p.locator('#f-caption_uk').fill('Фото: відділ комунікацій');
    }, { axe: true });
    await addBlock(page, 'gallery', (p) => p.locator('input[name=images]').first().check());
    await addBlock(page, 'news', (p) => p.locator('#f-count').fill('2'));
    await addBlock(page, 'documents', (p) => p.locator('#f-count').fill('2'));
    await addBlock(page, 'tiles', async (p) => {
      await p.locator('#f-title_uk_0').fill('Петиції');
      await p.locator('#f-href_0').fill('/petitions');
      await p.locator('#f-text_uk_0').fill('Підтримайте ініціативу');
    }, { axe: true });
    await addBlock(page, 'faq', async (p) => {
      await p.locator('#f-question_uk_0').fill('Коли працює ЦНАП?');
      await p.locator('#f-answer_uk_0').fill('Щодня з 8:00 до 17:00.');
    });
    await addBlock(page, 'video', async (p) => {
      await p.locator('#f-url').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
      await p.locator('#f-title_uk').fill('Звіт міського голови');
    });
    for (const widget of ['consultations.poll', 'petitions.latest', 'about.contacts', 'appeals.write', 'city.report']) {
      await addBlock(page, `widget:${widget}`, async () => {});
    }
    await addBlock(page, 'widget:consultations.survey', (p) => p.locator('#f-choice').selectOption({ index: 1 }), { axe: true });

    // The notice goes above the text.
    await navigating(page, () => page.locator('#block-1').getByRole('button', { name: /Вище/ }).click());
    await expectNoAxeViolations(page, 'page editor with blocks');
    await navigating(page, () => page.getByRole('button', { name: 'Опублікувати чернетку' }).click());
    assert.match(await visibleText(page), /Сторінку опубліковано/);

    await open(page, c(`/pages/perevirka-${RUN}`));
    const text = await visibleText(page);
    assert.ok(text.indexOf('Увага: прийом переноситься.') < text.indexOf('Про перевірку'), 'the notice is first');
    for (const expected of ['Коли працює ЦНАП?', 'Петиції', 'Напишіть звернення до ради', 'Повідомити про проблему']) {
      assert.ok(text.includes(expected), `the page shows ${expected}`);
    }
    assert.equal(await page.locator('iframe[title="Звіт міського голови"]').count(), 1);
    assert.equal(await page.locator('img[alt="Площа Миру взимку"]').count(), 1);
    // The third-party player is not ours to audit.
    await expectNoAxeViolations(page, 'published page with every block', { exclude: ['iframe'] });
    await page.getByText('Коли працює ЦНАП?').click();
    assert.match(await visibleText(page), /Щодня з 8:00 до 17:00/);
  });

  it('an editor publishes news and files a document; residents find them', async () => {
    const page = editor;
    await open(page, c('/admin/cms/news/new'));
    await expectNoAxeViolations(page, 'news form');
    await navigating(page, () => page.getByRole('button', { name: 'Зберегти' }).click());
    assert.match(await visibleText(page), /Вкажіть назву/);
    await expectNoAxeViolations(page, 'news form with errors');
    await page.locator('#f-title_uk').fill(`Відкрито новий сквер ${RUN}`);
    await page.locator('#f-body_uk').fill('Сквер біля річки відкрито для всіх.');
    await page.locator('#f-category').fill('Благоустрій');
    await navigating(page, () => page.getByRole('button', { name: 'Зберегти' }).click());
    assert.match(await visibleText(page), /Новину опубліковано/);
    await expectNoAxeViolations(page, 'news admin');

    await open(page, c('/admin/cms/documents'));
    await expectNoAxeViolations(page, 'documents admin');
    await page.locator('#f-title').fill(`Про сквер біля річки ${RUN}`);
    await page.locator('#f-act_number').fill('№ 77-VIII');
    await page.locator('#f-act_date').fill('2026-11-20');
    await page.locator('input[name=file]').setInputFiles({ name: 'rishennia.pdf', mimeType: 'application/pdf', buffer: PDF });
    await navigating(page, () => page.getByRole('button', { name: 'Додати' }).click());
    assert.match(await visibleText(page), /Збережено/);

    const resident = await (await newContext(browser)).newPage();
    await open(resident, c('/news'));
    await expectNoAxeViolations(resident, 'news list');
    await navigating(resident, () => resident.getByRole('link', { name: `Відкрито новий сквер ${RUN}` }).click());
    await expectNoAxeViolations(resident, 'news item');
    await open(resident, c('/documents'));
    await resident.locator('#f-q').fill(`СКВЕР БІЛЯ РІЧКИ ${RUN}`);
    await navigating(resident, () => resident.getByRole('button', { name: 'Показати' }).click());
    await expectNoAxeViolations(resident, 'documents search');
    await navigating(resident, () => resident.getByRole('link', { name: `Про сквер біля річки ${RUN}` }).click());
    assert.match(await visibleText(resident), /№ 77-VIII/);
    await expectNoAxeViolations(resident, 'document');
    await resident.context().close();
  });

  it('an administrator changes the theme after a refused palette and builds a two-level menu', async () => {
    const page = admin;
    await open(page, c('/admin/cms/site', SECOND_COMMUNITY));
    await expectNoAxeViolations(page, 'site look and menu');
    await page.locator('#f-brand').fill('#9fc5e8');
    await submit(page, 'form[action$="/site/theme"]');
    assert.match(await visibleText(page), /Замалий контраст/);
    await expectNoAxeViolations(page, 'theme refused');
    await page.locator('#f-brand').fill('#1d5c2e');
    await page.locator('#f-brand_dark').fill('#123d1e');
    await page.locator('#f-layout').selectOption('centered');
    await submit(page, 'form[action$="/site/theme"]');
    assert.match(await visibleText(page), /Збережено/);

    await page.locator('#f-label_uk_0').fill('Громада');
    await page.locator('#f-href_0').fill('/about');
    await page.locator('#f-label_uk_1').fill('Новини');
    await page.locator('#f-href_1').fill('/news');
    await page.locator('#f-level_1').selectOption('2');
    await page.locator('#f-label_uk_2').fill('Документи');
    await page.locator('#f-href_2').fill('/documents');
    await submit(page, 'form[action$="/site/menu"]');
    assert.match(await visibleText(page), /Збережено/);

    await open(page, c('/news', SECOND_COMMUNITY));
    const brand = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
    assert.equal(brand, 'rgb(29, 92, 46)', 'the theme colours the header');
    // The submenu opens from the keyboard.
    await page.locator('.main-nav summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.main-nav details[open] a[href$="/news"]').isVisible(), true);
    await expectNoAxeViolations(page, 'themed page with an open submenu');
  });
});
