//! The demo community's site: a home page built from blocks, two more pages, news and
//! documents, so that a visitor sees a finished site and an editor has something to change.

use crate::domain::{Block, NoticeLevel, PageContent, Question, Tile};
use crate::store::{self, Author, NewDocument, NewsDraft};
use chrono::{Duration, NaiveDate};
use hromada_web::module::SeedContext;

fn text(uk: &str, en: &str) -> Block {
    Block::Text { uk: uk.into(), en: en.into() }
}

fn tile(title_uk: &str, title_en: &str, href: &str, text_uk: &str, text_en: &str) -> Tile {
    Tile {
        title_uk: title_uk.into(),
        title_en: title_en.into(),
        href: href.into(),
        text_uk: text_uk.into(),
        text_en: text_en.into(),
    }
}

fn widget(key: &str) -> Block {
    Block::Widget { key: key.into(), choice: String::new() }
}

pub async fn demo(ctx: SeedContext<'_>) -> anyhow::Result<()> {
    let (db, community, now) = (ctx.db, ctx.community.id, ctx.clock.now());
    if store::home_page(db, community).await?.is_some() {
        return Ok(());
    }
    let author = Author { id: None, name: "Демо".into() };
    let name = &ctx.community.name_uk;
    let mut home_blocks = vec![
        Block::Notice {
            level: NoticeLevel::Warning,
            uk: "Під час повітряної тривоги ЦНАП не працює. Адреси укриттів — на сторінці «Безпека».".into(),
            en: "The administrative services centre closes during air-raid alerts. Shelters are listed on the Safety page.".into(),
        },
        text(
            &format!("## Вітаємо на сайті: {name}\n\nТут можна подати петицію чи звернення, повідомити про проблему, взяти участь в опитуванні та дізнатися новини громади."),
            "## Welcome\n\nHere you can file a petition or an appeal, report a problem, answer a poll and read the community's news.",
        ),
        Block::Tiles {
            items: vec![
                tile("Електронні петиції", "E-petitions", "/petitions", "Підтримайте ініціативу сусідів", "Support your neighbours' initiative"),
                tile("Звернення", "Appeals", "/appeals", "Відповідь у строки, визначені законом", "An answer within the legal deadlines"),
                tile("Відкрите місто", "Open City", "/city", "Яма, ліхтар, сміття — покажіть на мапі", "A pothole, a street light, litter — show it on the map"),
                tile("Опитування", "Surveys", "/surveys", "Ваша думка для рішень ради", "Your view for the council's decisions"),
            ],
        },
        widget("consultations.poll"),
        Block::News { count: 3, category: String::new() },
        widget("petitions.latest"),
        Block::Documents { count: 3, category: String::new() },
    ];
    if !ctx.main {
        home_blocks.truncate(3);
    }
    let home = PageContent {
        title_uk: name.clone(),
        title_en: ctx.community.name_en.clone().unwrap_or_default(),
        summary_uk: format!("Офіційний сайт: {name}. Петиції, звернення, опитування, новини."),
        summary_en: "The community's official site: petitions, appeals, surveys, news.".into(),
        blocks: home_blocks,
    };
    let id = store::create_page(db, community, "home", true, &home, &author, now).await.map_err(page_error)?;
    store::publish(db, community, id, 1, None, &author, now).await.map_err(page_error)?;

    let safety = PageContent {
        title_uk: "Безпека".into(),
        title_en: "Safety".into(),
        summary_uk: "Укриття, пункти незламності та що робити під час тривоги.".into(),
        summary_en: "Shelters, resilience points and what to do during an alert.".into(),
        blocks: vec![
            Block::Notice {
                level: NoticeLevel::Alert,
                uk: "Почувши сирену, негайно пройдіть до найближчого укриття.".into(),
                en: "When you hear the siren, go to the nearest shelter at once.".into(),
            },
            text(
                "### Укриття\n\n- Школа № 1, вул. Шевченка, 10 — цілодобово\n- Будинок культури, пл. Миру, 1 — цілодобово",
                "### Shelters\n\n- School No. 1, 10 Shevchenka St — day and night\n- House of Culture, 1 Myru Sq — day and night",
            ),
            Block::Faq {
                items: vec![
                    Question {
                        question_uk: "Де зарядити телефон під час відключень?".into(),
                        question_en: "Where can I charge my phone during outages?".into(),
                        answer_uk: "У пунктах незламності: у ЦНАП та в кожному старостинському окрузі.".into(),
                        answer_en: "At resilience points: the services centre and every starosta office.".into(),
                    },
                    Question {
                        question_uk: "Як отримувати сповіщення?".into(),
                        question_en: "How do I get alerts?".into(),
                        answer_uk: "Підпишіться на тривоги в чат-боті громади в Telegram або Viber.".into(),
                        answer_en: "Subscribe to alerts in the community's chatbot in Telegram or Viber.".into(),
                    },
                ],
            },
        ],
    };
    let id = store::create_page(db, community, "bezpeka", false, &safety, &author, now).await.map_err(page_error)?;
    store::publish(db, community, id, 1, None, &author, now).await.map_err(page_error)?;
    if !ctx.main {
        return Ok(());
    }
    let budget = PageContent {
        title_uk: "Бюджет громади".into(),
        title_en: "The community's budget".into(),
        summary_uk: "Куди йдуть кошти громади у 2027 році.".into(),
        summary_en: "Where the community's money goes in 2027.".into(),
        blocks: vec![
            text(
                "Бюджет на 2027 рік ухвалено рішенням ради. Найбільші статті: освіта (41 %), благоустрій (18 %), соціальний захист (12 %).",
                "The 2027 budget was adopted by the council. The largest items: education (41%), public spaces (18%), social protection (12%).",
            ),
            Block::Documents { count: 5, category: "Бюджет".into() },
        ],
    };
    let id = store::create_page(db, community, "biudzhet", false, &budget, &author, now).await.map_err(page_error)?;
    store::publish(db, community, id, 1, None, &author, now).await.map_err(page_error)?;

    let news: [(&str, &str, &str, &str, i64); 3] = [
        (
            "Відкрито прийом проєктів громадського бюджету",
            "Participatory budget: projects are welcome",
            "Подати проєкт можна до 15 березня. Максимальна вартість — 300 тис. грн.",
            "Громада",
            2,
        ),
        (
            "Графік роботи ЦНАП у святкові дні",
            "Services centre hours on public holidays",
            "ЦНАП працює 31 грудня до 14:00, 1 січня — вихідний.",
            "ЦНАП",
            1,
        ),
        (
            "Ремонт вулиці Шевченка: перекриття руху",
            "Shevchenka Street repairs: traffic closed",
            "З понеділка рух на ділянці від площі Миру до ринку буде перекрито на два тижні.",
            "Благоустрій",
            0,
        ),
    ];
    for (title_uk, title_en, summary, category, days_ago) in news {
        let draft = NewsDraft {
            title_uk: title_uk.into(),
            title_en: title_en.into(),
            summary_uk: summary.into(),
            body_uk: format!("{summary}\n\nДокладніше — у відділі комунікацій ради."),
            category: category.into(),
            tags: "громада".into(),
            pinned: days_ago == 2,
            publish_at: Some(now - Duration::days(days_ago)),
            ..Default::default()
        };
        let (id, _) = store::create_news(db, community, &draft, None, now).await?;
        // Demo news are not announced to anybody's messenger.
        store::mark_announced(db, community, id, now).await?;
    }
    let documents = [
        ("Про бюджет громади на 2027 рік", "№ 1234-VIII", (2026, 12, 20), "Бюджет"),
        ("Положення про громадський бюджет", "№ 987-VIII", (2026, 3, 12), "Положення"),
        ("Статут територіальної громади", "№ 15-VIII", (2021, 2, 25), "Статут"),
    ];
    for (title, act_number, (y, m, d), category) in documents {
        let doc = NewDocument {
            title: title.into(),
            act_number: act_number.into(),
            act_date: NaiveDate::from_ymd_opt(y, m, d),
            category: category.into(),
            description: format!("Рішення ради «{title}»."),
            file: None,
        };
        store::create_document(db, community, &doc, None, now).await?;
    }
    Ok(())
}

fn page_error(e: store::PageError) -> anyhow::Error {
    anyhow::anyhow!("seeding a page: {e:?}")
}
