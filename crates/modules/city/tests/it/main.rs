//! Open City in the database, on SQLite and (when configured) PostgreSQL.

use chrono::{Duration, Utc};
use hromada_city::domain::{self, Action, Location, Polygon, Status};
use hromada_city::store::{self, Actor, Follow, NewReport, SupportOutcome};
use hromada_db::Db;
use hromada_db::core::{departments, settlements};
use hromada_db::testing::TestDb;
use hromada_kernel::GeoPoint;
use uuid::Uuid;

async fn databases() -> Vec<TestDb> {
    let mut migrations = hromada_db::migrate::core_migrations();
    migrations.extend(hromada_city::migrations());
    TestDb::each(&migrations).await
}

async fn community(db: &Db, slug: &str) -> Uuid {
    let c = hromada_db::testing::community(db, slug, Utc::now()).await.id;
    store::seed_default_categories(db, c, Utc::now()).await.unwrap();
    c
}

const MODERATOR: Actor<'static> = Actor { id: None, name: "Модератор" };

async fn report(db: &Db, c: Uuid, code: &str, author: Option<Uuid>, at: GeoPoint) -> store::Report {
    let category = store::category_by_code(db, c, code).await.unwrap().unwrap();
    let location = Location { point: Some(at), settlement: None, address: "вул. Тестова, 1".into() };
    let department = store::route(db, c, &category, &location).await.unwrap();
    let new = NewReport {
        category: &category,
        author_id: author,
        author_name: "Автор",
        author_email: Some("author@test"),
        description: "Глибока яма на дорозі",
        location: &location,
        department,
        answers: Default::default(),
        source: "web",
        api_client: None,
        token: None,
    };
    store::create(db, c, new, Utc::now()).await.unwrap()
}

async fn published(db: &Db, c: Uuid, author: Option<Uuid>) -> store::Report {
    let r = report(db, c, "pothole", author, GeoPoint::new(50.45, 30.52).unwrap()).await;
    store::step(db, c, r.id, Action::Publish, &MODERATOR, "", Utc::now()).await.unwrap()
}

#[tokio::test]
async fn a_report_is_numbered_moderated_worked_and_its_timeline_kept() {
    for t in databases().await {
        let name = t.backend_name();
        let c = community(&t.db, "life").await;
        let first = report(&t.db, c, "pothole", Some(Uuid::now_v7()), GeoPoint::new(50.4, 30.5).unwrap()).await;
        let second = report(&t.db, c, "lighting", None, GeoPoint::new(50.4, 30.5).unwrap()).await;
        assert_eq!((first.number, second.number), (1, 2), "[{name}]");
        assert_eq!(first.status(), Status::Moderation);
        assert!(!first.public());
        let public = store::list(&t.db, c, &store::Filter::default(), 10, 0).await.unwrap();
        assert!(public.is_empty(), "[{name}] nothing before moderation");
        assert!(
            store::step(&t.db, c, first.id, Action::SetStatus(Status::Solved), &MODERATOR, "", Utc::now())
                .await
                .is_err()
        );
        let p = store::step(&t.db, c, first.id, Action::Publish, &MODERATOR, "", Utc::now()).await.unwrap();
        assert!(p.public() && p.status() == Status::New, "[{name}]");
        let officer = Actor { id: Some(Uuid::now_v7()), name: "Відділ доріг" };
        store::step(&t.db, c, p.id, Action::SetStatus(Status::InProgress), &officer, "Бригада виїхала", Utc::now())
            .await
            .unwrap();
        store::comment(&t.db, c, p.id, &officer, "Засипали щебенем", Utc::now()).await.unwrap();
        let done =
            store::step(&t.db, c, p.id, Action::SetStatus(Status::Solved), &officer, "Заасфальтовано", Utc::now())
                .await
                .unwrap();
        assert_eq!(done.status(), Status::Solved);
        let rejected =
            store::step(&t.db, c, second.id, Action::RejectInModeration, &MODERATOR, "Не в межах громади", Utc::now())
                .await
                .unwrap();
        assert_eq!(rejected.rejection_reason.as_deref(), Some("Не в межах громади"));
        assert!(!rejected.public(), "[{name}] a report refused in moderation stays unpublished");
        let kinds: Vec<String> = store::timeline(&t.db, c, p.id).await.unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["submitted", "published", "status", "comment", "status"], "[{name}]");
        assert_eq!(store::latest_note(&t.db, c, p.id).await.unwrap().as_deref(), Some("Заасфальтовано"));
        assert_eq!(store::count_in(&t.db, c, Status::Solved).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn reports_are_routed_by_category_then_by_settlement_or_polygon() {
    for t in databases().await {
        let name = t.backend_name();
        let c = community(&t.db, "route").await;
        let roads = departments::create(&t.db, c, "Відділ доріг", None, None, Utc::now()).await.unwrap();
        let village = departments::create(&t.db, c, "Староста", None, None, Utc::now()).await.unwrap();
        let district = departments::create(&t.db, c, "Район", None, None, Utc::now()).await.unwrap();
        let place = settlements::create(&t.db, c, "Село", None, "village", None).await.unwrap();
        let mut pothole = store::category_by_code(&t.db, c, "pothole").await.unwrap().unwrap();
        let fields = store::CategoryFields {
            code: "pothole",
            name_uk: &pothole.name_uk.clone(),
            name_en: None,
            description_uk: "",
            department_id: Some(roads),
            questions: vec![],
            active: true,
        };
        store::update_category(&t.db, c, pothole.id, &fields).await.unwrap();
        pothole = store::category(&t.db, c, pothole.id).await.unwrap().unwrap();
        store::add_area(&t.db, c, pothole.id, village, Some(place), None, "Село").await.unwrap();
        let square = Polygon::parse_lines("50,30\n50,31\n51,31\n51,30").unwrap();
        store::add_area(&t.db, c, pothole.id, district, None, Some(&square), "Квадрат").await.unwrap();
        let at = |lat: f64, lon: f64, settlement: Option<Uuid>| Location {
            point: GeoPoint::new(lat, lon),
            settlement,
            address: String::new(),
        };
        let route = |l: Location| {
            let (db, pothole) = (t.db.clone(), pothole.clone());
            async move { store::route(&db, c, &pothole, &l).await.unwrap() }
        };
        assert_eq!(route(at(50.5, 30.5, Some(place))).await, Some(village), "[{name}] the first rule wins");
        assert_eq!(route(at(50.5, 30.5, None)).await, Some(district), "[{name}]");
        assert_eq!(route(at(48.0, 30.5, None)).await, Some(roads), "[{name}]");
        let areas = store::areas(&t.db, c, pothole.id).await.unwrap();
        assert_eq!(areas[1].polygon.as_ref().unwrap().0, square, "[{name}] the polygon is kept as drawn");
        assert!(store::delete_area(&t.db, c, areas[0].id).await.unwrap());
        assert_eq!(route(at(50.5, 30.5, Some(place))).await, Some(district), "[{name}]");
        // Categories are the community's own: a taken code is refused.
        let clash = store::CategoryFields { code: "lighting", ..fields.clone() };
        assert!(matches!(
            store::update_category(&t.db, c, pothole.id, &clash).await,
            Err(hromada_db::DbError::Unique(_))
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_identical_supports_make_exactly_one_row() {
    for t in databases().await {
        let name = t.backend_name();
        let c = community(&t.db, "support").await;
        let author = Uuid::now_v7();
        let r = published(&t.db, c, Some(author)).await;
        let person = Uuid::now_v7();
        let mut handles = vec![];
        for _ in 0..40 {
            let db = t.db.clone();
            handles.push(tokio::spawn(async move { store::support(&db, c, r.id, person, Utc::now()).await.unwrap() }));
        }
        let mut supported = 0;
        for h in handles {
            match h.await.unwrap() {
                SupportOutcome::Supported { count } => {
                    supported += 1;
                    assert_eq!(count, 1, "[{name}]");
                }
                SupportOutcome::AlreadySupported => {}
                SupportOutcome::NotOpen => panic!("[{name}] the report is open"),
            }
        }
        assert_eq!(supported, 1, "[{name}]");
        assert_eq!(store::supporters(&t.db, c, r.id).await.unwrap(), vec![person], "[{name}]");
        assert_eq!(store::get(&t.db, c, r.id).await.unwrap().unwrap().support_count, 1, "[{name}]");
        assert_eq!(
            store::support(&t.db, c, r.id, author, Utc::now()).await.unwrap(),
            SupportOutcome::NotOpen,
            "[{name}] not one's own report"
        );
        let waiting = report(&t.db, c, "waste", None, GeoPoint::new(50.0, 30.0).unwrap()).await;
        assert_eq!(store::support(&t.db, c, waiting.id, person, Utc::now()).await.unwrap(), SupportOutcome::NotOpen);
    }
}

#[tokio::test]
async fn merging_carries_supporters_over_once_each() {
    for t in databases().await {
        let name = t.backend_name();
        let c = community(&t.db, "merge").await;
        let (main_author, dup_author) = (Uuid::now_v7(), Uuid::now_v7());
        let main = published(&t.db, c, Some(main_author)).await;
        let dup = published(&t.db, c, Some(dup_author)).await;
        let (both, only_dup, only_main) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        for (report, person) in [(main.id, both), (dup.id, both), (dup.id, only_dup), (main.id, only_main)] {
            store::support(&t.db, c, report, person, Utc::now()).await.unwrap();
        }
        // The main report's author supported the duplicate: they do not support their own report.
        store::support(&t.db, c, dup.id, main_author, Utc::now()).await.unwrap();
        let follower = Uuid::now_v7();
        store::subscribe(&t.db, c, follower, Follow::Report(dup.id), Utc::now()).await.unwrap();
        assert!(
            store::merge(&t.db, c, dup.id, dup.id, &MODERATOR, Utc::now()).await.is_err(),
            "[{name}] not into itself"
        );
        let merged = store::merge(&t.db, c, dup.id, main.id, &MODERATOR, Utc::now()).await.unwrap();
        let mut expected = vec![both, only_dup, only_main, dup_author];
        expected.sort();
        assert_eq!(store::supporters(&t.db, c, main.id).await.unwrap(), expected, "[{name}]");
        assert_eq!(merged.support_count, 4, "[{name}] counted from the rows");
        let gone = store::get(&t.db, c, dup.id).await.unwrap().unwrap();
        assert_eq!((gone.status(), gone.merged_into, gone.support_count), (Status::Merged, Some(main.id), 0));
        assert!(store::subscribers(&t.db, c, Follow::Report(main.id)).await.unwrap().contains(&follower));
        assert!(store::subscribers(&t.db, c, Follow::Report(main.id)).await.unwrap().contains(&dup_author));
        let kinds: Vec<String> =
            store::timeline(&t.db, c, main.id).await.unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds.last().map(String::as_str), Some("merged_in"), "[{name}]");
        // A merged report is closed: no more support, no second merge.
        assert_eq!(
            store::support(&t.db, c, dup.id, Uuid::now_v7(), Utc::now()).await.unwrap(),
            SupportOutcome::NotOpen
        );
        assert!(store::merge(&t.db, c, dup.id, main.id, &MODERATOR, Utc::now()).await.is_err());
        // Nothing goes into an unpublished report.
        let waiting = report(&t.db, c, "waste", None, GeoPoint::new(50.0, 30.0).unwrap()).await;
        let third = published(&t.db, c, None).await;
        assert!(matches!(
            store::merge(&t.db, c, third.id, waiting.id, &MODERATOR, Utc::now()).await,
            Err(store::StepError::BadMergeTarget)
        ));
    }
}

#[tokio::test]
async fn lists_filter_by_status_category_settlement_bbox_and_time_within_the_community() {
    for t in databases().await {
        let name = t.backend_name();
        let c = community(&t.db, "lists").await;
        let other = community(&t.db, "lists-other").await;
        published(&t.db, other, None).await;
        let a = published(&t.db, c, None).await;
        let lamp = report(&t.db, c, "lighting", None, GeoPoint::new(49.0, 24.0).unwrap()).await;
        let lamp = store::step(&t.db, c, lamp.id, Action::Publish, &MODERATOR, "", Utc::now()).await.unwrap();
        report(&t.db, c, "waste", None, GeoPoint::new(50.45, 30.52).unwrap()).await;
        let all = store::list(&t.db, c, &store::Filter::default(), 10, 0).await.unwrap();
        assert_eq!(all.iter().map(|r| r.number).collect::<Vec<_>>(), vec![lamp.number, a.number], "[{name}]");
        let lighting = store::category_by_code(&t.db, c, "lighting").await.unwrap().unwrap();
        let f = store::Filter { categories: vec![lighting.id], ..Default::default() };
        assert_eq!(store::list(&t.db, c, &f, 10, 0).await.unwrap().len(), 1, "[{name}]");
        let f = store::Filter {
            statuses: vec![Status::New, Status::Solved],
            numbers: vec![a.number],
            ..Default::default()
        };
        assert_eq!(store::list(&t.db, c, &f, 10, 0).await.unwrap()[0].id, a.id);
        let kyiv = domain::Bbox::parse("30.0,50.0,31.0,51.0").unwrap();
        let f = store::Filter { bbox: Some(kyiv), ..Default::default() };
        let points = store::map_points(&t.db, c, &f, 100).await.unwrap();
        assert_eq!(points.iter().map(|p| p.number).collect::<Vec<_>>(), vec![a.number], "[{name}]");
        let f = store::Filter { since: Some(Utc::now() + Duration::hours(1)), ..Default::default() };
        assert!(store::list(&t.db, c, &f, 10, 0).await.unwrap().is_empty());
        let f = store::Filter { departments: Some(vec![]), ..Default::default() };
        assert!(store::list(&t.db, c, &f, 10, 0).await.unwrap().is_empty(), "[{name}] no departments, no work");
        let f = store::Filter { unpublished: true, statuses: vec![Status::Moderation], ..Default::default() };
        assert_eq!(store::list(&t.db, c, &f, 10, 0).await.unwrap().len(), 1, "[{name}] the moderation queue");
        let place = settlements::create(&t.db, c, "Місто", None, "city", None).await.unwrap();
        let f = store::Filter { settlement: Some(place), ..Default::default() };
        assert!(store::list(&t.db, c, &f, 10, 0).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn subscriptions_and_api_clients_are_kept_per_community() {
    for t in databases().await {
        let name = t.backend_name();
        let c = community(&t.db, "subs").await;
        let other = community(&t.db, "subs-other").await;
        let (person, place) = (Uuid::now_v7(), Uuid::now_v7());
        store::subscribe(&t.db, c, person, Follow::Area(place), Utc::now()).await.unwrap();
        store::subscribe(&t.db, c, person, Follow::Area(place), Utc::now()).await.unwrap();
        assert_eq!(store::subscribers(&t.db, c, Follow::Area(place)).await.unwrap(), vec![person], "[{name}]");
        assert!(store::subscribers(&t.db, other, Follow::Area(place)).await.unwrap().is_empty());
        assert!(!store::is_subscribed(&t.db, c, person, Follow::Report(place)).await.unwrap());
        store::unsubscribe(&t.db, c, person, Follow::Area(place)).await.unwrap();
        assert!(store::subscribers(&t.db, c, Follow::Area(place)).await.unwrap().is_empty());

        let hash = hromada_city::client_key_hash("secret-key");
        let id = store::add_client(&t.db, c, "Мобільний застосунок", &hash, Utc::now()).await.unwrap();
        assert_eq!(store::client_by_key(&t.db, c, &hash).await.unwrap().map(|k| k.id), Some(id), "[{name}]");
        assert!(
            store::client_by_key(&t.db, other, &hash).await.unwrap().is_none(),
            "[{name}] not in another community"
        );
        assert!(store::revoke_client(&t.db, c, id, Utc::now()).await.unwrap());
        assert!(store::client_by_key(&t.db, c, &hash).await.unwrap().is_none(), "[{name}] revoked");
    }
}
