use crate::{community, each, new_user, t0};
use chrono::NaiveDate;
use hromada_db::DbError;
use hromada_db::core::holidays::{self, CalendarDay};
use hromada_db::core::settlements;
use hromada_db::core::users;
use hromada_kernel::Lang;

#[tokio::test]
async fn settlements_are_ordered_by_position_per_community() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let town = settlements::create(&t.db, c.id, "Буча", Some("Bucha"), "city", None).await.expect("create");
        let v1 = settlements::create(&t.db, c.id, "Ворзель", None, "settlement", Some("Ворзельський"))
            .await
            .expect("create");
        let v2 = settlements::create(&t.db, c.id, "Блиставиця", None, "village", Some("Блиставицький"))
            .await
            .expect("create");
        settlements::create(&t.db, other.id, "Ірпінь", None, "city", None).await.expect("create");

        let list = settlements::list(&t.db, c.id).await.expect("list");
        let rows: Vec<_> = list.iter().map(|s| (s.id, s.position)).collect();
        assert_eq!(rows, [(town, 1), (v1, 2), (v2, 3)], "{b}: in the order created");
        assert_eq!(list[0].name(Lang::En), "Bucha", "{b}");
        assert_eq!(list[1].name(Lang::En), "Ворзель", "{b}: falls back to Ukrainian");
        assert_eq!(list[2].kind, "village", "{b}");
        assert_eq!(list[2].starosta_district.as_deref(), Some("Блиставицький"), "{b}");

        let theirs = settlements::list(&t.db, other.id).await.expect("list");
        assert_eq!(theirs.len(), 1, "{b}");
        assert_eq!(theirs[0].position, 1, "{b}: positions count per community");
    }
}

#[tokio::test]
async fn a_settlement_with_residents_cannot_be_deleted() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let lived_in = settlements::create(&t.db, c.id, "Буча", None, "city", None).await.expect("create");
        let empty = settlements::create(&t.db, c.id, "Пуста", None, "village", None).await.expect("create");
        let mut resident = new_user(Some("r@example.com"), "Мешканка");
        resident.settlement_id = Some(lived_in);
        let resident = users::create(&t.db, c.id, resident, t0()).await.expect("resident");
        assert_eq!(resident.settlement_id, Some(lived_in), "{b}");

        match settlements::delete(&t.db, c.id, lived_in).await {
            Err(e @ DbError::Unique(_)) => {
                assert!(e.is_unique_on("settlements.in_use"), "{b}: in_use, got {e}")
            }
            other => panic!("{b}: expected DbError::Unique(\"settlements.in_use\"), got {other:?}"),
        }
        assert_eq!(settlements::list(&t.db, c.id).await.expect("list").len(), 2, "{b}: still there");

        assert!(!settlements::delete(&t.db, other.id, empty).await.expect("delete"), "{b}: not from another community");
        assert!(settlements::delete(&t.db, c.id, empty).await.expect("delete"), "{b}: unused is deleted");
        assert!(!settlements::delete(&t.db, c.id, empty).await.expect("delete"), "{b}: already gone");

        // Once the resident moves out, the settlement can go.
        users::update_profile(
            &t.db,
            c.id,
            resident.id,
            users::Profile { full_name: "Мешканка", settlement_id: None, birth_year: None, lang: "uk" },
        )
        .await
        .expect("move out");
        assert!(settlements::delete(&t.db, c.id, lived_in).await.expect("delete"), "{b}");
        assert!(settlements::list(&t.db, c.id).await.expect("list").is_empty(), "{b}");
    }
}

#[tokio::test]
async fn an_account_cannot_point_at_another_communitys_settlement() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let theirs = settlements::create(&t.db, other.id, "Ірпінь", None, "city", None).await.expect("create");
        let mut resident = new_user(Some("r@example.com"), "Мешканка");
        resident.settlement_id = Some(theirs);
        assert!(
            users::create(&t.db, c.id, resident, t0()).await.is_err(),
            "{b}: the foreign key is scoped to the community"
        );
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn holidays_build_the_working_calendar() {
    for t in each().await {
        let b = t.backend_name();
        let christmas = day(2026, 12, 25); // a Friday
        let working_saturday = day(2026, 11, 28);
        holidays::upsert(
            &t.db,
            &CalendarDay {
                day: christmas,
                name_uk: "Різдво".into(),
                name_en: Some("Christmas".into()),
                is_working: false,
            },
        )
        .await
        .expect("upsert");
        holidays::upsert(
            &t.db,
            &CalendarDay {
                day: working_saturday, name_uk: "Робоча субота".into(), name_en: None, is_working: true
            },
        )
        .await
        .expect("upsert");

        let list = holidays::list(&t.db).await.expect("list");
        let days: Vec<_> = list.iter().map(|d| (d.day, d.is_working)).collect();
        assert_eq!(days, [(working_saturday, true), (christmas, false)], "{b}: ordered by day");
        assert_eq!(list[1].name_en.as_deref(), Some("Christmas"), "{b}");

        let cal = holidays::calendar(&t.db).await.expect("calendar");
        assert!(!cal.is_working_day(christmas), "{b}: the holiday is not a working day");
        assert!(cal.is_working_day(day(2026, 12, 24)), "{b}: an ordinary Thursday is");
        assert!(cal.is_working_day(working_saturday), "{b}: the declared Saturday is");
        assert!(!cal.is_working_day(day(2026, 12, 5)), "{b}: an ordinary Saturday is not");
        assert_eq!(
            cal.add_working_days(day(2026, 12, 24), 1),
            day(2026, 12, 28),
            "{b}: a term skips the holiday and the weekend"
        );

        // Upserting the same day replaces it.
        holidays::upsert(
            &t.db,
            &CalendarDay {
                day: christmas, name_uk: "Різдво Христове".into(), name_en: None, is_working: true
            },
        )
        .await
        .expect("upsert again");
        let list = holidays::list(&t.db).await.expect("list");
        assert_eq!(list.len(), 2, "{b}: still one row per day");
        assert_eq!(list[1].name_uk, "Різдво Христове", "{b}");
        assert_eq!(list[1].name_en, None, "{b}");
        assert!(holidays::calendar(&t.db).await.expect("calendar").is_working_day(christmas), "{b}");
    }
}

/// Two officials adding settlements at the same moment must not get the same position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_get_distinct_positions() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let db = t.db.clone();
                tokio::spawn(async move {
                    settlements::create(&db, c.id, &format!("Село {i}"), None, "village", None).await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("join").unwrap_or_else(|e| panic!("{b}: create: {e}"));
        }
        let mut positions: Vec<i64> =
            settlements::list(&t.db, c.id).await.expect("list").iter().map(|s| s.position).collect();
        positions.sort();
        assert_eq!(positions, (1..=20).collect::<Vec<_>>(), "{b}: positions 1..=20, each once");
    }
}
