//! Booking: one engine for the CNAP's electronic queue and doctors' appointments. Resources have
//! weekly hours, days that differ and public holidays off; residents take a free slot and get a
//! check-in code, cancel or move it, and are reminded the day before; staff work the day's queue.

mod admin;
mod api;
mod bot;
pub mod desk;
pub mod domain;
pub mod jobs;
pub mod schedule;
pub mod store;
mod web;

use futures::future::BoxFuture;
use hromada_db::core::communities::Community;
use hromada_db::{Db, Migration, migration};
use hromada_kernel::{IdentityLevel, Lang, Permission};
use hromada_web::AppState;
use hromada_web::i18n::Locales;
use hromada_web::module::{AdminSection, GatedAction, Module, NavItem, SeedContext, SitemapEntry};
use hromada_web::state::AppStateBuilder;
use hromada_web::templates::TemplateSources;
use std::sync::Arc;

pub struct Booking;

/// The key under which this module keeps its tables and settings.
pub const KEY: &str = "booking";

/// Booking a CNAP visit.
pub const BOOK_CNAP: GatedAction =
    GatedAction { key: "booking.cnap", label: "booking-action-cnap", default_level: IdentityLevel::Email };
/// Booking a doctor.
pub const BOOK_DOCTOR: GatedAction =
    GatedAction { key: "booking.doctor", label: "booking-action-doctor", default_level: IdentityLevel::Email };

/// The identity level a resource's kind asks for.
pub fn gated_action(kind: &str) -> GatedAction {
    if kind == "doctor" { BOOK_DOCTOR } else { BOOK_CNAP }
}

impl Module for Booking {
    fn key(&self) -> &'static str {
        KEY
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![migration!(KEY, 1, "0001_booking")]
    }

    fn templates(&self) -> TemplateSources {
        hromada_web::module_templates!(
            "booking",
            "index.html",
            "resource.html",
            "confirm.html",
            "mine.html",
            "admin.html",
            "resource_form.html",
            "day.html"
        )
    }

    fn locales(&self) -> Locales {
        vec![
            (Lang::Uk, include_str!("../locales/uk/booking.ftl")),
            (Lang::En, include_str!("../locales/en/booking.ftl")),
        ]
    }

    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }

    fn admin_routes(&self) -> axum::Router<AppState> {
        admin::routes()
    }

    fn api_routes(&self) -> utoipa_axum::router::OpenApiRouter<AppState> {
        api::routes()
    }

    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { label: "booking-nav", path: "/booking" }]
    }

    fn admin_sections(&self) -> Vec<AdminSection> {
        vec![AdminSection {
            label: "booking-admin-nav",
            path: "/admin/booking",
            permission: Permission::ManageServices,
        }]
    }

    fn gated_actions(&self) -> Vec<GatedAction> {
        vec![BOOK_CNAP, BOOK_DOCTOR]
    }

    fn start(&self, builder: &mut AppStateBuilder) {
        builder.jobs.push(hromada_web::state::Job {
            name: "booking.reminders",
            every: std::time::Duration::from_secs(900),
            run: Arc::new(|state| Box::pin(async move { jobs::remind(&state).await.map(|_| ()) })),
        });
    }

    fn sitemap<'a>(&'a self, db: &'a Db, community: &'a Community) -> BoxFuture<'a, anyhow::Result<Vec<SitemapEntry>>> {
        Box::pin(async move {
            let mut out = vec![SitemapEntry { path: "/booking".into(), modified: None }];
            for r in store::resources(db, community.id, false).await? {
                out.push(SitemapEntry { path: format!("/booking/{}", r.id), modified: None });
            }
            Ok(out)
        })
    }

    fn chat_flows(&self) -> Vec<Arc<dyn hromada_web::chat::ChatFlow>> {
        vec![Arc::new(bot::BookingInChat)]
    }

    fn stats<'a>(
        &'a self,
        db: &'a Db,
        community: &'a Community,
    ) -> BoxFuture<'a, anyhow::Result<Vec<(&'static str, i64)>>> {
        Box::pin(async move {
            Ok(vec![("booking-stat-resources", store::resources(db, community.id, false).await?.len() as i64)])
        })
    }

    fn seed_demo<'a>(&'a self, ctx: SeedContext<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(seed(ctx))
    }
}

/// A demo resource: kind, name, English name, specialty, place, address, catalogue number,
/// slot minutes, weekday hours.
type DemoResource = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    u16,
    &'static str,
);

/// A CNAP window for passports and two doctors, open on working days.
async fn seed(ctx: SeedContext<'_>) -> anyhow::Result<()> {
    let c = ctx.community.id;
    if !store::resources(ctx.db, c, true).await?.is_empty() {
        return Ok(());
    }
    let weekdays = |hours: &str| -> anyhow::Result<domain::Week> {
        let parsed = domain::parse_hours(hours).map_err(|k| anyhow::anyhow!(k))?;
        let mut week: domain::Week = Default::default();
        for day in week.iter_mut().take(5) {
            *day = parsed.clone();
        }
        Ok(week)
    };
    let list: Vec<DemoResource> = if ctx.main {
        vec![
            (
                "cnap",
                "Паспортні послуги (вікно 3)",
                Some("Passport services (window 3)"),
                "",
                "ЦНАП",
                "вул. Центральна, 1",
                Some(3),
                20,
                "08:00-12:00, 13:00-17:00",
            ),
            (
                "cnap",
                "Реєстрація місця проживання",
                Some("Registration of residence"),
                "",
                "ЦНАП",
                "вул. Центральна, 1",
                Some(1),
                15,
                "08:00-12:00, 13:00-17:00",
            ),
            (
                "doctor",
                "Іваненко Олена Петрівна",
                None,
                "Терапевт",
                "Амбулаторія №1",
                "вул. Лікарняна, 5",
                None,
                20,
                "08:00-14:00",
            ),
            (
                "doctor",
                "Коваль Андрій Миколайович",
                None,
                "Педіатр",
                "Амбулаторія №1",
                "вул. Лікарняна, 5",
                None,
                15,
                "09:00-13:00",
            ),
        ]
    } else {
        vec![(
            "cnap",
            "ЦНАП: усі послуги",
            Some("CNAP: all services"),
            "",
            "ЦНАП",
            "просп. Миру, 5",
            None,
            15,
            "08:00-16:00",
        )]
    };
    for (kind, name_uk, name_en, specialty, place, address, service_number, slot, hours) in list {
        let r = store::NewResource {
            kind: kind.into(),
            name_uk: name_uk.into(),
            name_en: name_en.map(str::to_owned),
            specialty: specialty.into(),
            place: place.into(),
            address: address.into(),
            service_number,
            rules: domain::Rules { slot_minutes: slot, ..domain::Rules::default() },
            week: weekdays(hours)?,
            active: true,
        };
        store::save_resource(ctx.db, c, None, &r).await?;
    }
    Ok(())
}
