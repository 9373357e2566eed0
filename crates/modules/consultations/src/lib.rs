//! Consultations with residents: surveys (every common question type, sections, conditions)
//! and quick polls on the home page.
//!
//! [`domain`] holds the rules — what a survey may contain, what makes a response valid, how
//! results are counted and how small groups are kept from identifying anyone; [`store`] keeps
//! surveys and one response per person; `web` and `admin` are the residents' and the
//! officials' pages.

mod admin;
mod bot;
pub mod domain;
pub mod drafts;
mod drafts_web;
pub mod store;
mod web;
mod widgets;

use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::{Db, Migration, migration};
use hromada_kernel::{IdentityLevel, Lang, Permission};
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, GatedAction, Module, NavItem, SeedContext};
use hromada_web::templates::TemplateSources;
use hromada_web::{AppResult, AppState, Page};

/// The key under which this module keeps its statute settings and tables.
pub const KEY: &str = "consultations";

/// Answering a survey or a poll: one response per person, so a confirmed account at least.
pub const RESPOND: GatedAction =
    GatedAction { key: "consultations.respond", label: "survey-gate-respond", default_level: IdentityLevel::Email };

pub fn migrations() -> Vec<Migration> {
    vec![
        migration!(KEY, 1, "0001_surveys"),
        migration!(KEY, 2, "0002_eligibility"),
        migration!(KEY, 3, "0003_drafts"),
        migration!(KEY, 4, "0004_counts_and_texts"),
    ]
}

pub struct Consultations;

impl Module for Consultations {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations()
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "consultations",
            "list.html",
            "survey.html",
            "question.html",
            "results.html",
            "results_texts.html",
            "answers.html",
            "poll_block.html",
            "survey_block.html",
            "admin.html",
            "builder.html",
            "question_form.html",
            "drafts.html",
            "draft.html",
            "drafts_admin.html",
            "draft_admin.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![
            (Lang::Uk, include_str!("../locales/uk/consultations.ftl")),
            (Lang::En, include_str!("../locales/en/consultations.ftl")),
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes().merge(drafts_web::routes())
    }

    fn admin_routes(&self) -> axum::Router<AppState> {
        admin::routes().merge(drafts_web::admin_routes())
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "survey-nav", path: "/surveys" }, NavItem { label: "draft-nav", path: "/consultations" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection { label: "survey-admin-nav", path: "/admin/consultations", permission: Permission::Moderate }]
    }

    fn gated_actions(&self) -> Vec<GatedAction> {
        vec![RESPOND]
    }

    fn start(&self, builder: &mut hromada_web::state::AppStateBuilder) {
        builder.extension(web::ResultsCache::new(builder.config.cache_ttl));
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move {
            let now = chrono::Utc::now();
            let open = store::open(db, community.id, store::SurveyKind::Survey, now).await?.len()
                + store::open(db, community.id, store::SurveyKind::Poll, now).await?.len();
            Ok(vec![("survey-stat-open", open as i64)])
        })
    }

    fn chat_flows(&self) -> Vec<std::sync::Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![std::sync::Arc::new(bot::SurveysInChat)]
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(seed_demo(ctx))
    }

    fn home_block<'a>(&'a self, page: &'a Page) -> BoxFuture<'a, AppResult<Option<String>>> {
        Box::pin(web::home_poll(page))
    }

    fn widgets(&self) -> Vec<hromada_web::Widget> {
        widgets::list()
    }

    fn widget_choices<'a>(
        &'a self,
        page: &'a Page,
        _widget: &'a str,
    ) -> BoxFuture<'a, AppResult<Vec<(String, String)>>> {
        Box::pin(widgets::choices(page))
    }

    fn render_widget<'a>(
        &'a self,
        page: &'a Page,
        widget: &'a str,
        choice: &'a str,
    ) -> BoxFuture<'a, AppResult<Option<String>>> {
        Box::pin(widgets::render(page, widget, choice))
    }

    fn search<'a>(
        &'a self,
        page: &'a Page,
        query: &'a str,
        limit: i64,
    ) -> BoxFuture<'a, AppResult<Vec<hromada_web::SearchHit>>> {
        Box::pin(widgets::search(page, query, limit))
    }
}

/// A quick poll and a short survey with a condition, open for a month.
async fn seed_demo(ctx: SeedContext<'_>) -> anyhow::Result<()> {
    use domain::{Choice, Condition, Question, QuestionKind, Survey};
    use hromada_kernel::LocalizedText;
    let c = ctx.community;
    if !store::all(ctx.db, c.id).await?.is_empty() {
        return Ok(());
    }
    let text = |uk: &str, en: &str| LocalizedText::new(uk, Some(en.to_owned()));
    let options = |pairs: &[(&str, &str)]| -> Vec<Choice> {
        pairs
            .iter()
            .enumerate()
            .map(|(i, (uk, en))| Choice { value: format!("o{}", i + 1), label: text(uk, en) })
            .collect()
    };
    let question = |key: &str, title: LocalizedText, required: bool, kind: QuestionKind| Question {
        key: key.into(),
        title,
        hint: None,
        required,
        section: 0,
        kind,
        show_when: None,
    };
    let now = ctx.clock.now();
    let month = now + chrono::Duration::days(30);
    let poll = Survey {
        sections: vec![],
        questions: vec![question(
            "q1",
            text("Де облаштувати новий сквер?", "Where should the new square be?"),
            true,
            QuestionKind::Single {
                options: options(&[
                    ("У центрі, біля ринку", "In the centre, by the market"),
                    ("Біля річки", "By the river"),
                ]),
                other: false,
            },
        )],
    };
    let mut why = question(
        "q2",
        text("Що заважає їздити автобусом?", "What keeps you from taking the bus?"),
        false,
        QuestionKind::LongText { max_chars: 2000 },
    );
    why.show_when = Some(Condition { question: "q1".into(), any_of: vec!["o2".into()] });
    let survey = Survey {
        sections: vec![],
        questions: vec![
            question(
                "q1",
                text("Як ви добираєтеся на роботу?", "How do you get to work?"),
                true,
                QuestionKind::Single {
                    options: options(&[("Автобусом", "By bus"), ("Автомобілем", "By car"), ("Пішки", "On foot")]),
                    other: true,
                },
            ),
            why,
            question(
                "q3",
                text("Наскільки зручний розклад автобусів?", "How convenient is the bus timetable?"),
                true,
                QuestionKind::Scale {
                    max: 5,
                    low: text("Зовсім незручний", "Not at all"),
                    high: text("Дуже зручний", "Very"),
                },
            ),
            question(
                "q4",
                text("Що покращити першим?", "What should improve first?"),
                false,
                QuestionKind::Ranking {
                    options: options(&[
                        ("Частота рейсів", "Frequency"),
                        ("Зупинки", "Stops"),
                        ("Вечірні рейси", "Evening trips"),
                    ]),
                },
            ),
        ],
    };
    let sections = [
        drafts::Section {
            title: "1. Загальні положення".into(),
            text: "Правила визначають порядок утримання дворів, вулиць і зелених зон громади.".into(),
        },
        drafts::Section {
            title: "2. Тиша в нічний час".into(),
            text: "З 22:00 до 7:00 заборонено гучні ремонтні роботи й гучну музику.".into(),
        },
    ];
    drafts::create(
        ctx.db,
        c.id,
        text("Правила благоустрою громади", "Rules for public spaces"),
        "Проєкт рішення ради: висловіть свою думку до кожного розділу.",
        &sections,
        now,
        month,
        None,
        now,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    for (kind, title, definition) in [
        (store::SurveyKind::Poll, text("Новий сквер", "A new square"), poll),
        (store::SurveyKind::Survey, text("Громадський транспорт", "Public transport"), survey),
    ] {
        let new = store::NewSurvey {
            kind,
            title,
            description: "",
            definition,
            opens_at: now,
            closes_at: month,
            editable: true,
            anonymous: false,
            results_after_close: false,
            eligibility: hromada_kernel::Eligibility::default(),
            texts_premoderated: false,
            created_by: None,
        };
        store::create(ctx.db, c.id, new, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}
