//! The site constructor through its pages: an editor builds pages from blocks, publishes now
//! or later, restores a version; news with feeds and the chatbot; documents with search; the
//! theme checked for contrast; the menu; sitemap and robots.

use hromada_db::core::communities::Community;
use hromada_kernel::{FixedClock, Role};
use hromada_testkit::{Browser, Options, TestApp, spawn_apps, spawn_apps_with};
use std::sync::Arc;

/// Fields of a form as a test sends them.
type Form<'a> = Vec<(&'a str, &'a str)>;

async fn editor(app: &TestApp, slug: &str) -> (Community, Browser) {
    let c = app.community(slug).await;
    app.user(&c, &format!("editor@{slug}.test"), &[Role::Editor]).await;
    let b = app.signed_in(&c, &format!("editor@{slug}.test")).await;
    (c, b)
}

/// The draft version an editor's form carries.
fn version_on(html: &str) -> String {
    let needle = "name=\"version\" value=\"";
    let at = html.find(needle).unwrap_or_else(|| panic!("no version field: {html}"));
    html[at + needle.len()..].split('"').next().unwrap().to_owned()
}

/// Creates a page through the form; gives the editor's path.
async fn create_page(app: &TestApp, b: &Browser, slug: &str, title: &str, address: &str, home: bool) -> String {
    let admin = format!("/c/{slug}/admin/cms");
    let mut fields = vec![("title_uk", title), ("slug", address)];
    if home {
        fields.push(("home", "1"));
    }
    let created = b.submit(&admin, &format!("{admin}/pages"), &fields).await;
    assert_eq!(created.status, 303, "[{}] {}", app.backend, created.text());
    created.location().unwrap()
}

/// Adds a block of `kind` with `fields`; asserts it was taken.
async fn add_block(app: &TestApp, b: &Browser, editor: &str, kind: &str, fields: &[(&str, &str)]) {
    let shown = b.get(editor).await;
    let version = version_on(&shown.html());
    let next = shown.html().matches("id=\"block-").count();
    let form = format!("{editor}/blocks/{next}?kind={kind}");
    let mut all = fields.to_vec();
    all.push(("version", &version));
    let saved = b.submit(&form, &form, &all).await;
    assert_eq!(saved.status, 303, "[{}] {kind}: {}", app.backend, saved.text());
}

async fn publish_now(app: &TestApp, b: &Browser, editor: &str) {
    let version = version_on(&b.get(editor).await.html());
    let done = b.submit(editor, &format!("{editor}/publish"), &[("version", &version), ("when", "now")]).await;
    assert_eq!(done.status, 303, "[{}] {}", app.backend, done.text());
}

#[tokio::test]
async fn an_editor_builds_a_page_from_every_block_and_publishes_it() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = editor(&app, "site").await;
        let editor = create_page(&app, &b, "site", "Про громаду", "pro-hromadu", false).await;
        add_block(
            &app,
            &b,
            &editor,
            "text",
            &[("uk", "Громада **має** 12 сіл."), ("en", "The community has 12 villages.")],
        )
        .await;
        add_block(&app, &b, &editor, "notice", &[("level", "alert"), ("uk", "Укриття відкриті цілодобово.")]).await;
        add_block(
            &app,
            &b,
            &editor,
            "tiles",
            &[
                ("title_uk_0", "Петиції"),
                ("href_0", "/petitions"),
                ("title_uk_1", "Дія"),
                ("href_1", "https://diia.gov.ua"),
            ],
        )
        .await;
        add_block(&app, &b, &editor, "faq", &[("question_uk_0", "Де ЦНАП?"), ("answer_uk_0", "На площі Миру, 1.")])
            .await;
        add_block(&app, &b, &editor, "video", &[("url", "https://youtu.be/dQw4w9WgXcQ"), ("title_uk", "Звіт голови")])
            .await;
        add_block(&app, &b, &editor, "news", &[("count", "3")]).await;
        add_block(&app, &b, &editor, "documents", &[("count", "5")]).await;
        for widget in ["petitions.latest", "consultations.poll", "about.contacts", "appeals.write", "city.report"] {
            add_block(&app, &b, &editor, &format!("widget:{widget}"), &[("choice", "")]).await;
        }

        // Not public before it is published, but the editor may preview it.
        let visitor = app.browser();
        assert_eq!(visitor.get("/c/site/pages/pro-hromadu").await.status, 404, "[{bk}]");
        let preview = b.get(&format!("{editor}/preview")).await;
        assert!(preview.html().contains("<strong>має</strong>"), "[{bk}] {}", preview.html());

        // The notice goes first.
        let version = version_on(&b.get(&editor).await.html());
        let moved =
            b.submit(&editor, &format!("{editor}/blocks/1/move"), &[("version", &version), ("direction", "up")]).await;
        assert_eq!(moved.status, 303, "[{bk}] {}", moved.text());
        publish_now(&app, &b, &editor).await;

        let html = visitor.get("/c/site/pages/pro-hromadu").await.html();
        let order: Vec<usize> = [
            "Укриття відкриті",
            "має</strong>",
            "https://diia.gov.ua",
            "Де ЦНАП?",
            "youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ]
        .iter()
        .map(|needle| html.find(needle).unwrap_or_else(|| panic!("[{bk}] {needle} missing: {html}")))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "[{bk}] blocks out of order: {order:?}");
        // Site paths in tiles get the community's prefix; widgets drew themselves.
        assert!(html.contains("href=\"/c/site/petitions\""), "[{bk}]");
        for needle in
            ["/c/site/appeals/new", "/c/site/city/new", "/c/site/about", "<details class=\"faq\">", "rel=\"canonical\""]
        {
            assert!(html.contains(needle), "[{bk}] {needle}: {html}");
        }
        // The English reader gets the English text where there is one.
        let en = visitor.get_with("/c/site/pages/pro-hromadu", &[("accept-language", "en")]).await.text();
        assert!(en.contains("The community has 12 villages."), "[{bk}]");
        // A visitor's copy is kept a few seconds, but a new publication shows at once.
        let edit = format!("{editor}/blocks/1?kind=text");
        let version = version_on(&b.get(&editor).await.html());
        let fields = [("uk", "Громада має 14 сіл."), ("version", version.as_str())];
        assert_eq!(b.submit(&edit, &edit, &fields).await.status, 303, "[{bk}]");
        assert!(visitor.get("/c/site/pages/pro-hromadu").await.text().contains("12 сіл"), "[{bk}] a draft is not out");
        publish_now(&app, &b, &editor).await;
        assert!(visitor.get("/c/site/pages/pro-hromadu").await.text().contains("14 сіл"), "[{bk}]");
        // The site search finds the page by the beginnings of its words, whatever their case.
        let found = visitor.get("/c/site/search?q=УКРИТ%20цілодоб").await.html();
        assert!(found.contains("href=\"/c/site/pages/pro-hromadu\""), "[{bk}] {found}");
        let none = visitor.get("/c/site/search?q=метро").await.text();
        assert!(none.contains("Нічого не знайдено"), "[{bk}]");
    }
}

#[tokio::test]
async fn a_block_that_breaks_a_rule_is_refused_with_the_reason() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = editor(&app, "rules").await;
        let editor = create_page(&app, &b, "rules", "Правила", "", false).await;
        assert!(editor.contains("/admin/cms/pages/"), "[{bk}] {editor}");
        let version = version_on(&b.get(&editor).await.html());
        let cases: [(&str, Form, &str); 4] = [
            ("video", vec![("url", "https://evil.example/watch?v=x"), ("title_uk", "Відео")], "YouTube або Vimeo"),
            ("tiles", vec![("title_uk_0", "Погане"), ("href_0", "javascript:alert(1)")], "Посилання має починатися"),
            ("image", vec![("media", "00000000-0000-0000-0000-000000000000"), ("alt_uk", "")], "текстовий опис"),
            ("widget:consultations.survey", vec![("choice", "not-a-survey")], "Оберіть, що показати"),
        ];
        for (kind, fields, message) in cases {
            let form = format!("{editor}/blocks/0?kind={kind}");
            let mut all = fields.clone();
            all.push(("version", &version));
            let refused = b.submit(&form, &form, &all).await;
            assert_eq!(refused.status, 422, "[{bk}] {kind}");
            assert!(refused.text().contains(message), "[{bk}] {kind}: {}", refused.text());
        }
        // Nothing was added.
        assert!(!b.get(&editor).await.html().contains("id=\"block-0\""), "[{bk}]");
        // A page address is checked too.
        let admin = "/c/rules/admin/cms";
        let bad = b.submit(admin, &format!("{admin}/pages"), &[("title_uk", "Інша"), ("slug", "Погана Адреса")]).await;
        assert_eq!(bad.status, 422, "[{bk}]");
        let taken =
            b.submit(admin, &format!("{admin}/pages"), &[("title_uk", "Правила ще раз"), ("slug", "pravyla")]).await;
        assert_eq!(taken.status, 422, "[{bk}] {}", taken.text());
        assert!(taken.text().contains("Сторінка з такою адресою вже є"), "[{bk}]");
    }
}

#[tokio::test]
async fn the_home_page_is_built_like_any_other_and_replaces_the_default_one() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = editor(&app, "home").await;
        let visitor = app.browser();
        assert!(!visitor.get("/c/home/").await.text().contains("Ласкаво просимо до оновленого сайту"), "[{bk}]");
        let editor = create_page(&app, &b, "home", "Головна", "", true).await;
        add_block(&app, &b, &editor, "text", &[("uk", "Ласкаво просимо до оновленого сайту")]).await;
        // Still the default home page until it is published.
        assert!(!visitor.get("/c/home/").await.text().contains("Ласкаво просимо до оновленого сайту"), "[{bk}]");
        publish_now(&app, &b, &editor).await;
        let home = visitor.get("/c/home/").await;
        assert!(home.text().contains("Ласкаво просимо до оновленого сайту"), "[{bk}] {}", home.text());
        // One home page: a second is refused, and the first cannot be deleted.
        let admin = "/c/home/admin/cms";
        let second = b.submit(admin, &format!("{admin}/pages"), &[("title_uk", "Ще одна"), ("home", "1")]).await;
        assert_eq!(second.status, 422, "[{bk}]");
        let kept = b.submit(&editor, &format!("{editor}/delete"), &[]).await;
        assert_eq!(kept.status, 409, "[{bk}]");
        // Its /pages address leads to the root.
        let moved = visitor.get("/c/home/pages/home").await;
        assert_eq!((moved.status.as_u16(), moved.location().as_deref()), (308, Some("/c/home/")), "[{bk}]");
    }
}

#[tokio::test]
async fn history_restores_a_version_and_two_editors_never_overwrite_each_other() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (c, b) = editor(&app, "hist").await;
        let editor = create_page(&app, &b, "hist", "Історія", "istoriia", false).await;
        add_block(&app, &b, &editor, "text", &[("uk", "Перша редакція")]).await;
        let first = version_on(&b.get(&editor).await.html());
        let edit = format!("{editor}/blocks/0?kind=text");
        let mut fields = vec![("uk", "Друга редакція"), ("version", first.as_str())];
        assert_eq!(b.submit(&edit, &edit, &fields).await.status, 303, "[{bk}]");
        // A form opened before that change is refused, not applied over it.
        fields[0] = ("uk", "Застаріла правка");
        let stale = b.submit(&edit, &edit, &fields).await;
        assert_eq!(stale.status, 409, "[{bk}] {}", stale.text());

        let restored = b.submit(&editor, &format!("{editor}/restore"), &[("from", &first)]).await;
        assert_eq!(restored.status, 303, "[{bk}]");
        let preview = b.get(&format!("{editor}/preview")).await.text();
        assert!(preview.contains("Перша редакція") && !preview.contains("Друга"), "[{bk}]");

        // Many saves of one version at once: exactly one is taken.
        let version = version_on(&b.get(&editor).await.html());
        let token = hromada_testkit::browser::csrf_token(&b.get(&edit).await.html()).unwrap();
        let tries = (0..20).map(|i| {
            let (b, edit, version, token) = (b.clone(), edit.clone(), version.clone(), token.clone());
            async move {
                let text = format!("Правка {i}");
                b.post_raw(&edit, &[("uk", &text), ("version", &version), ("_csrf", &token)]).await.status.as_u16()
            }
        });
        let statuses = futures::future::join_all(tries).await;
        assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 1, "[{bk}] {statuses:?}");
        assert!(statuses.iter().all(|s| *s == 303 || *s == 409), "[{bk}] {statuses:?}");
        let page_id: uuid::Uuid = editor.rsplit('/').next().unwrap().parse().unwrap();
        let history = hromada_cms::store::revisions(&app.db, c.id, page_id, 100).await.unwrap();
        // Created, first block, second text, restore, one of the twenty.
        assert_eq!(history.len(), 5, "[{bk}] {history:?}");
    }
}

#[tokio::test]
async fn scheduled_pages_and_news_appear_at_their_time_and_news_reach_the_chatbot_once() {
    let clock = Arc::new(FixedClock::new("2026-11-29T08:00:00Z".parse().unwrap()));
    for app in spawn_apps_with(Options { clock: Some(clock.clone()), ..Default::default() }).await {
        let bk = app.backend;
        let (c, b) = editor(&app, "sched").await;
        let visitor = app.browser();
        let editor = create_page(&app, &b, "sched", "Розклад", "rozklad", false).await;
        add_block(&app, &b, &editor, "text", &[("uk", "Новий розклад автобусів")]).await;
        let version = version_on(&b.get(&editor).await.html());
        // 12:00 in Kyiv is 10:00 UTC in winter.
        let later = [("version", version.as_str()), ("when", "later"), ("at", "2026-11-29T12:00")];
        assert_eq!(b.submit(&editor, &format!("{editor}/publish"), &later).await.status, 303, "[{bk}]");
        let past = [("version", version.as_str()), ("when", "later"), ("at", "2026-11-28T12:00")];
        assert_eq!(b.submit(&editor, &format!("{editor}/publish"), &past).await.status, 422, "[{bk}]");

        let news_form = "/c/sched/admin/cms/news/new";
        let now = [
            ("title_uk", "Вода буде до вечора"),
            ("body_uk", "Ремонт завершать о 18:00."),
            ("when", "now"),
            ("category", "ЖКГ"),
            ("tags", "вода, Ремонт"),
        ];
        assert_eq!(b.submit(news_form, news_form, &now).await.status, 303, "[{bk}]");
        let scheduled =
            [("title_uk", "Концерт на площі"), ("body_uk", "О 19:00."), ("when", "later"), ("at", "2026-11-29T12:00")];
        assert_eq!(b.submit(news_form, news_form, &scheduled).await.status, 303, "[{bk}]");
        let draft = [("title_uk", "Чернетка новини"), ("body_uk", "Ще не час."), ("when", "draft")];
        assert_eq!(b.submit(news_form, news_form, &draft).await.status, 303, "[{bk}]");

        assert_eq!(visitor.get("/c/sched/pages/rozklad").await.status, 404, "[{bk}]");
        let list = visitor.get("/c/sched/news").await.text();
        assert!(
            list.contains("Вода буде до вечора") && !list.contains("Концерт") && !list.contains("Чернетка"),
            "[{bk}]"
        );
        // Tags are kept lower-cased and filter the list.
        assert!(visitor.get("/c/sched/news?tag=ремонт").await.text().contains("Вода буде до вечора"), "[{bk}]");
        assert_eq!(visitor.get("/c/sched/news/2").await.status, 404, "[{bk}] a scheduled item is not public");
        // Nor found by the search before its time, nor the draft ever.
        assert!(!visitor.get("/c/sched/search?q=концерт").await.html().contains("/news/2"), "[{bk}]");
        assert!(!visitor.get("/c/sched/search?q=чернетка").await.html().contains("/news/3"), "[{bk}]");
        assert!(visitor.get("/c/sched/search?q=ремонт").await.html().contains("/c/sched/news/1"), "[{bk}]");
        let broadcasts = || async {
            hromada_db::fetch_one!(
                &app.db,
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM bot_broadcasts WHERE community_id = $1 AND topic = 'news'"
                )
                .bind(c.id)
            )
            .unwrap()
        };
        assert_eq!(broadcasts().await, 1, "[{bk}] the published item went to the chatbot");

        clock.advance(chrono::Duration::hours(2));
        assert!(visitor.get("/c/sched/pages/rozklad").await.text().contains("Новий розклад автобусів"), "[{bk}]");
        assert!(visitor.get("/c/sched/news").await.text().contains("Концерт на площі"), "[{bk}]");
        assert!(visitor.get("/c/sched/search?q=концерт").await.html().contains("/c/sched/news/2"), "[{bk}]");
        assert!(visitor.get("/c/sched/search?q=розклад").await.html().contains("/c/sched/pages/rozklad"), "[{bk}]");
        hromada_cms::announce_due_news(&app.state).await.unwrap();
        hromada_cms::announce_due_news(&app.state).await.unwrap();
        assert_eq!(broadcasts().await, 2, "[{bk}] each item once");
        assert_eq!(hromada_cms::store::fold_scheduled(&app.db, app.now()).await.unwrap(), 1, "[{bk}]");

        let rss = visitor.get("/c/sched/news/feed.rss").await;
        assert_eq!(rss.header("content-type").as_deref(), Some("application/rss+xml; charset=utf-8"), "[{bk}]");
        let rss = rss.html();
        assert!(rss.contains("<title>Концерт на площі</title>") && !rss.contains("Чернетка"), "[{bk}] {rss}");
        let atom = visitor.get("/c/sched/news/feed.atom").await.html();
        assert!(
            atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"") && atom.contains("Вода буде до вечора"),
            "[{bk}]"
        );
        let sitemap = visitor.get("/c/sched/sitemap.xml").await.html();
        for path in ["/c/sched/pages/rozklad", "/c/sched/news/1", "/c/sched/news/2"] {
            assert!(sitemap.contains(&format!("{}{path}</loc>", app.base)), "[{bk}] {path}: {sitemap}");
        }
        assert!(!sitemap.contains("/news/3"), "[{bk}] drafts stay out of the sitemap");
        // The next backend starts at the same morning.
        clock.advance(chrono::Duration::hours(-2));
    }
}

#[tokio::test]
async fn documents_are_filed_and_found_whatever_the_case_of_the_words() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = editor(&app, "docs").await;
        let admin = "/c/docs/admin/cms/documents";
        for (title, number, date, category) in [
            ("Про бюджет громади на 2027 рік", "№ 12-VIII", "2026-12-20", "Бюджет"),
            ("Про ґрунтові дороги", "№ 7-VIII", "2025-05-02", "Рішення"),
        ] {
            let filed = b
                .submit_files(
                    admin,
                    admin,
                    &[("title", title), ("act_number", number), ("act_date", date), ("category", category)],
                    &[("file", "rishennia.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec())],
                )
                .await;
            assert_eq!(filed.status, 303, "[{bk}] {}", filed.text());
        }
        let bad = b.submit(admin, admin, &[("title", "Х"), ("act_date", "20.12.2026")]).await;
        assert_eq!(bad.status, 422, "[{bk}]");

        let visitor = app.browser();
        let found = visitor.get("/c/docs/documents?q=БЮДЖЕТ").await.text();
        assert!(found.contains("Про бюджет громади") && !found.contains("ґрунтові"), "[{bk}]");
        // Ґ and Г are one letter to the search.
        assert!(visitor.get("/c/docs/documents?q=грунтові").await.text().contains("ґрунтові дороги"), "[{bk}]");
        let by_year = visitor.get("/c/docs/documents?year=2025").await.text();
        assert!(by_year.contains("ґрунтові") && !by_year.contains("Про бюджет"), "[{bk}]");
        let found = visitor.get("/c/docs/search?q=ГРУНТ").await.html();
        assert!(found.contains("/c/docs/documents/2") && !found.contains("/c/docs/documents/1\""), "[{bk}] {found}");
        let doc = visitor.get("/c/docs/documents/1").await.text();
        assert!(
            doc.contains("№ 12-VIII") && doc.contains("20.12.2026") && doc.contains("rishennia.pdf"),
            "[{bk}] {doc}"
        );
    }
}

#[tokio::test]
async fn a_theme_is_checked_for_contrast_and_the_menu_has_two_levels() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = editor(&app, "look").await;
        let site = "/c/look/admin/cms/site";
        let pale = [("brand", "#9fc5e8"), ("brand_dark", "#073a66"), ("accent", "#ffd23f"), ("layout", "classic")];
        let refused = b.submit(site, &format!("{site}/theme"), &pale).await;
        assert_eq!(refused.status, 422, "[{bk}]");
        assert!(refused.text().contains("Замалий контраст"), "[{bk}] {}", refused.text());
        let visitor = app.browser();
        assert!(!visitor.get("/c/look/about").await.html().contains("theme.css"), "[{bk}]");

        let good = [("brand", "#1D5C2E"), ("brand_dark", "#123d1e"), ("accent", "#f2c200"), ("layout", "wide")];
        assert_eq!(b.submit(site, &format!("{site}/theme"), &good).await.status, 303, "[{bk}]");
        let page = visitor.get("/c/look/about").await.html();
        assert!(page.contains("/c/look/theme.css?v=1") && page.contains("class=\"layout-wide\""), "[{bk}] {page}");
        let css = visitor.get("/c/look/theme.css?v=1").await.html();
        assert!(css.contains("--brand: #1d5c2e;") && css.contains("84rem"), "[{bk}] {css}");

        let menu = [
            ("label_uk_0", "Громада"),
            ("href_0", "/about"),
            ("level_0", "1"),
            ("label_uk_1", "Документи"),
            ("href_1", "/documents"),
            ("level_1", "2"),
            ("label_uk_2", "Дія"),
            ("href_2", "https://diia.gov.ua"),
            ("level_2", "1"),
        ];
        assert_eq!(b.submit(site, &format!("{site}/menu"), &menu).await.status, 303, "[{bk}]");
        let page = visitor.get("/c/look/news").await.html();
        assert!(
            page.contains("<summary>Громада</summary>") && page.contains("href=\"/c/look/documents\""),
            "[{bk}] {page}"
        );
        assert!(page.contains("href=\"https://diia.gov.ua\""), "[{bk}]");
        let lines = [("header_uk", "Офіційний сайт ради"), ("footer_uk", "© Рада громади")];
        assert_eq!(b.submit(site, &format!("{site}/footer"), &lines).await.status, 303, "[{bk}]");
        let page = visitor.get("/c/look/news").await.text();
        assert!(page.contains("Офіційний сайт ради") && page.contains("© Рада громади"), "[{bk}] {page}");
        let orphan = [("label_uk_0", "Підпункт"), ("href_0", "/news"), ("level_0", "2")];
        assert_eq!(b.submit(site, &format!("{site}/menu"), &orphan).await.status, 422, "[{bk}]");

        // The coat of arms: an image only, then shown in the header from the community's media.
        let arms = format!("{site}/arms");
        let text = b.submit_files(site, &arms, &[], &[("arms", "gerb.txt", b"not an image".to_vec())]).await;
        assert_eq!(text.status, 422, "[{bk}]");
        let png = crate::bot::png();
        assert_eq!(b.submit_files(site, &arms, &[], &[("arms", "gerb.png", png)]).await.status, 303, "[{bk}]");
        let header = visitor.get("/c/look/news").await.html();
        let src = header
            .split("class=\"brand\"")
            .nth(1)
            .and_then(|h| h.split("src=\"").nth(1))
            .and_then(|h| h.split('"').next());
        let src = src.unwrap_or_else(|| panic!("[{bk}] no coat of arms: {header}")).to_owned();
        assert!(src.starts_with("/c/look/media/"), "[{bk}] {src}");
        assert_eq!(visitor.get(&src).await.status, 200, "[{bk}]");
    }
}

#[tokio::test]
async fn a_resident_cannot_edit_and_one_community_never_sees_anothers_pages() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = editor(&app, "one").await;
        let editor = create_page(&app, &b, "one", "Наша сторінка", "nasha", false).await;
        publish_now(&app, &b, &editor).await;
        let other = app.community("two").await;
        app.user(&other, "editor@two.test", &[Role::Editor]).await;
        let b2 = app.signed_in(&other, "editor@two.test").await;
        assert_eq!(app.browser().get("/c/two/pages/nasha").await.status, 404, "[{bk}]");
        let foreign = editor.replace("/c/one/", "/c/two/");
        assert_eq!(b2.get(&foreign).await.status, 404, "[{bk}]");
        app.user(&other, "resident@two.test", &[]).await;
        let resident = app.signed_in(&other, "resident@two.test").await;
        assert_eq!(resident.get("/c/two/admin/cms").await.status, 403, "[{bk}]");
        let robots = app.browser().get("/c/one/robots.txt").await.html();
        assert!(robots.contains("Disallow: /c/one/admin") && robots.contains("/c/one/sitemap.xml"), "[{bk}] {robots}");
    }
}

#[tokio::test]
async fn the_officials_block_shows_each_officials_photo_position_and_hours() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (_, b) = editor(&app, "people").await;
        let about = "/c/people/admin/about";
        let fields = [
            ("name", "Ганна Степанівна Коваль"),
            ("role_uk", "Староста Заріччя"),
            ("reception_hours", "Вт, 9:00–12:00"),
            ("phone", "+380 64 522 00 07"),
        ];
        let added = b.submit_files(about, about, &fields, &[("photo", "koval.png", crate::bot::png())]).await;
        assert_eq!(added.status, 303, "[{bk}] {}", added.text());
        let editor = create_page(&app, &b, "people", "Посадовці", "posadovtsi", false).await;
        add_block(&app, &b, &editor, "widget:about.contacts", &[("choice", "")]).await;
        publish_now(&app, &b, &editor).await;
        let page = app.browser().get("/c/people/pages/posadovtsi").await.html();
        for needle in [
            "Ганна Степанівна Коваль",
            "Староста Заріччя",
            "Вт, 9:00–12:00",
            "class=\"portrait\" src=\"/c/people/media/",
        ] {
            assert!(page.contains(needle), "[{bk}] {needle}: {page}");
        }
        let photo = page.split("class=\"portrait\" src=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        assert_eq!(app.browser().get(&photo).await.status, 200, "[{bk}] the portrait is public");
    }
}

#[tokio::test]
async fn a_community_with_its_own_host_gets_its_site_there() {
    for app in spawn_apps().await {
        let bk = app.backend;
        let (c, b) = editor(&app, "own").await;
        let editor = create_page(&app, &b, "own", "Головна", "", true).await;
        add_block(&app, &b, &editor, "text", &[("uk", "Сайт на власному домені")]).await;
        publish_now(&app, &b, &editor).await;
        hromada_db::core::communities::set_primary_host(&app.db, c.id, "own.example.test").await.unwrap();
        let host = [("host", "own.example.test")];
        let visitor = app.browser();
        let home = visitor.get_with("/", &host).await;
        assert_eq!(home.status, 200, "[{bk}]");
        let html = home.html();
        assert!(html.contains("Сайт на власному домені"), "[{bk}] {html}");
        // Links stay on the host, and search engines are told the host's address.
        assert!(
            html.contains("href=\"/news\"")
                && html.contains("<link rel=\"canonical\" href=\"http://own.example.test/\">"),
            "[{bk}] {html}"
        );
        let sitemap = visitor.get_with("/sitemap.xml", &host).await.html();
        assert!(sitemap.contains("<loc>http://own.example.test/</loc>"), "[{bk}] {sitemap}");
    }
}
