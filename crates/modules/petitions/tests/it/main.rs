//! Petitions in the database, on SQLite and (when configured) PostgreSQL.

use chrono::{Duration, Utc};
use hromada_db::testing::TestDb;
use hromada_db::{Db, GroupCommit, GroupCommitConfig};
use hromada_kernel::WorkingCalendar;
use hromada_petitions::domain::{self, Action, Decision, RefusalReason, Rules, Status};
use hromada_petitions::store::{self, NewPetition, SignOutcome, SignRequest, SignatureWriter};
use uuid::Uuid;

async fn databases() -> Vec<TestDb> {
    let mut migrations = hromada_db::migrate::core_migrations();
    migrations.extend(hromada_petitions::migrations());
    TestDb::each(&migrations).await
}

async fn community(db: &Db, slug: &str) -> Uuid {
    hromada_db::testing::community(db, slug, Utc::now()).await.id
}

async fn collecting(db: &Db, c: Uuid, rules: &Rules) -> store::Petition {
    let author = Uuid::now_v7();
    let new = NewPetition {
        author_id: author,
        author_name: "Автор",
        title: "Освітлення вулиці",
        body: "Текст",
        category: "roads",
    };
    let p = store::create_draft(db, c, new, rules, Utc::now()).await.unwrap();
    let cal = WorkingCalendar::default();
    store::step(db, c, p.id, Action::Submit, Some(author), "", &cal, Utc::now()).await.unwrap();
    store::step(db, c, p.id, Action::Publish, None, "", &cal, Utc::now()).await.unwrap()
}

fn request(c: Uuid, p: Uuid, signer: &str, i: usize) -> SignRequest {
    SignRequest {
        community: c,
        petition: p,
        signer_key: signer.as_bytes().to_vec(),
        user_id: None,
        display_name: format!("Підписант {i}."),
        receipt_code: format!("receipt-{signer}"),
        at: Utc::now(),
        network: String::new(),
    }
}

#[tokio::test]
async fn the_lifecycle_is_stored_with_its_legal_dates() {
    for t in databases().await {
        let c = community(&t.db, "life").await;
        let rules = Rules { threshold: 10, collection_days: 30, ..Rules::default() };
        let cal = WorkingCalendar::default();
        let draft = store::create_draft(
            &t.db,
            c,
            NewPetition { author_id: Uuid::now_v7(), author_name: "А", title: "Т", body: "Б", category: "x" },
            &rules,
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(draft.number, 1);
        assert_eq!(draft.status(), Status::Draft);
        let second = store::create_draft(
            &t.db,
            c,
            NewPetition { author_id: Uuid::now_v7(), author_name: "А", title: "Т2", body: "Б", category: "x" },
            &rules,
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(second.number, 2, "[{}]", t.backend_name());

        let now = Utc::now();
        let submitted = store::step(&t.db, c, draft.id, Action::Submit, None, "", &cal, now).await.unwrap();
        assert_eq!(submitted.moderation_due, Some(domain::moderation_due(&rules, &cal, now.date_naive())));
        assert!(
            store::step(&t.db, c, draft.id, Action::Answer(Decision::Supported), None, "", &cal, now).await.is_err()
        );
        let published = store::step(&t.db, c, draft.id, Action::Publish, None, "", &cal, now).await.unwrap();
        assert_eq!(published.collection_ends, Some(now.date_naive() + Duration::days(29)));
        assert_eq!(published.status(), Status::Collecting);

        let refused = store::step(&t.db, c, second.id, Action::Submit, None, "", &cal, now).await.unwrap();
        let refused = store::step(
            &t.db,
            c,
            refused.id,
            Action::Refuse(RefusalReason::OutsideCompetence),
            None,
            "Не повноваження ради",
            &cal,
            now,
        )
        .await
        .unwrap();
        assert_eq!(refused.status(), Status::Refused { reason: RefusalReason::OutsideCompetence });
        assert_eq!(refused.refusal_text.as_deref(), Some("Не повноваження ради"));
        let public = store::list_filtered(&t.db, c, &store::ListFilter::default(), 10, 0).await.unwrap();
        assert_eq!(public.len(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_signatures_are_counted_exactly_and_chained() {
    for t in databases().await {
        let c = community(&t.db, "sign").await;
        let p = collecting(&t.db, c, &Rules { threshold: 1000, ..Rules::default() }).await;
        let (writer, task) = GroupCommit::spawn(t.db.clone(), SignatureWriter, GroupCommitConfig::default());
        let mut handles = vec![];
        for i in 0..300 {
            let w = writer.clone();
            let req = request(c, p.id, &format!("person-{i}"), i);
            handles.push(tokio::spawn(async move { w.submit(req).await.unwrap() }));
        }
        // The same person tries 50 times at once.
        for _ in 0..50 {
            let w = writer.clone();
            let req = request(c, p.id, "twice", 999);
            handles.push(tokio::spawn(async move { w.submit(req).await.unwrap() }));
        }
        let mut signed = 0;
        let mut again = 0;
        for h in handles {
            match h.await.unwrap() {
                SignOutcome::Signed { .. } => signed += 1,
                SignOutcome::AlreadySigned => again += 1,
                SignOutcome::NotCollecting => panic!("[{}] the petition is collecting", t.backend_name()),
            }
        }
        assert_eq!((signed, again), (301, 49), "[{}]", t.backend_name());
        let (batches, _) = writer.stats();
        assert!(batches < 351, "[{}] signatures were batched ({batches} batches)", t.backend_name());
        drop(writer);
        task.await.unwrap();

        let stored = store::get(&t.db, c, p.id).await.unwrap().unwrap();
        assert_eq!(stored.signature_count, 301);
        let entries = store::chain(&t.db, c, p.id, 0, 10_000).await.unwrap();
        let (count, head) = domain::verify_chain(p.id, &entries).expect("the chain verifies");
        assert_eq!(count, 301);
        assert_eq!(head.to_vec(), stored.chain_head, "[{}] the stored head is the chain's head", t.backend_name());
        assert!(domain::find_receipt(p.id, &entries, "receipt-person-7").is_some());
    }
}

#[tokio::test]
async fn the_threshold_closes_collection_and_starts_consideration() {
    for t in databases().await {
        let c = community(&t.db, "threshold").await;
        let p = collecting(&t.db, c, &Rules { threshold: 3, ..Rules::default() }).await;
        let (writer, task) = GroupCommit::spawn(t.db.clone(), SignatureWriter, GroupCommitConfig::default());
        for i in 0..3 {
            assert!(matches!(
                writer.submit(request(c, p.id, &format!("s{i}"), i)).await.unwrap(),
                SignOutcome::Signed { .. }
            ));
        }
        assert_eq!(writer.submit(request(c, p.id, "late", 9)).await.unwrap(), SignOutcome::NotCollecting);
        drop(writer);
        task.await.unwrap();
        let stored = store::get(&t.db, c, p.id).await.unwrap().unwrap();
        assert_eq!(stored.status(), Status::UnderConsideration, "[{}]", t.backend_name());
        assert_eq!(stored.signature_count, 3);
        assert!(stored.consideration_due.is_some() && stored.threshold_reached_at.is_some());
    }
}

#[tokio::test]
async fn signatures_after_the_period_or_before_publication_are_refused() {
    for t in databases().await {
        let c = community(&t.db, "closed").await;
        let p = collecting(&t.db, c, &Rules { collection_days: 1, ..Rules::default() }).await;
        let draft = store::create_draft(
            &t.db,
            c,
            NewPetition { author_id: Uuid::now_v7(), author_name: "А", title: "Т", body: "Б", category: "x" },
            &Rules::default(),
            Utc::now(),
        )
        .await
        .unwrap();
        let (writer, task) = GroupCommit::spawn(t.db.clone(), SignatureWriter, GroupCommitConfig::default());
        let mut late = request(c, p.id, "late", 1);
        late.at = Utc::now() + Duration::days(2);
        assert_eq!(writer.submit(late).await.unwrap(), SignOutcome::NotCollecting, "[{}]", t.backend_name());
        assert_eq!(writer.submit(request(c, draft.id, "early", 1)).await.unwrap(), SignOutcome::NotCollecting);
        // The same signer key in another community's petition is a different signature.
        let other = community(&t.db, "other").await;
        let q = collecting(&t.db, other, &Rules::default()).await;
        assert!(matches!(writer.submit(request(other, q.id, "late", 1)).await.unwrap(), SignOutcome::Signed { .. }));
        drop(writer);
        task.await.unwrap();
        assert_eq!(store::get(&t.db, c, p.id).await.unwrap().unwrap().signature_count, 0);
    }
}

#[tokio::test]
async fn both_backends_get_the_same_petition_tables() {
    let dbs = databases().await;
    let outlines: Vec<_> = outlines_of(&dbs).await;
    assert!(outlines[0].contains(&("petition_signatures".to_owned(), "signer_key".to_owned())));
    if let [lite, pg] = outlines.as_slice() {
        assert_eq!(lite, pg);
    }
}

async fn outlines_of(dbs: &[TestDb]) -> Vec<Vec<(String, String)>> {
    let mut out = vec![];
    for t in dbs {
        out.push(hromada_db::migrate::schema_outline(&t.db).await.unwrap());
    }
    out
}

#[tokio::test]
async fn lists_filter_by_status_and_topic_and_sort() {
    for t in databases().await {
        let c = community(&t.db, "lists").await;
        let a = collecting(&t.db, c, &Rules::default()).await;
        let b = collecting(&t.db, c, &Rules { collection_days: 10, ..Rules::default() }).await;
        let (writer, task) = GroupCommit::spawn(t.db.clone(), SignatureWriter, GroupCommitConfig::default());
        for i in 0..3 {
            writer.submit(request(c, b.id, &format!("b{i}"), i)).await.unwrap();
        }
        writer.submit(request(c, a.id, "a0", 0)).await.unwrap();
        drop(writer);
        task.await.unwrap();
        let numbers = |v: Vec<store::Petition>| v.iter().map(|p| p.number).collect::<Vec<_>>();
        let newest = store::list_filtered(&t.db, c, &store::ListFilter::default(), 10, 0).await.unwrap();
        assert_eq!(numbers(newest), vec![b.number, a.number], "[{}]", t.backend_name());
        let signed = store::ListFilter { sort: store::Sort::MostSigned, ..Default::default() };
        assert_eq!(numbers(store::list_filtered(&t.db, c, &signed, 10, 0).await.unwrap()), vec![b.number, a.number]);
        let ending = store::ListFilter { sort: store::Sort::EndingSoon, ..Default::default() };
        assert_eq!(numbers(store::list_filtered(&t.db, c, &ending, 10, 0).await.unwrap()), vec![b.number, a.number]);
        let roads = store::ListFilter { category: Some("roads"), ..Default::default() };
        assert_eq!(store::list_filtered(&t.db, c, &roads, 10, 0).await.unwrap().len(), 2);
        let other = store::ListFilter { category: Some("education"), ..Default::default() };
        assert!(store::list_filtered(&t.db, c, &other, 10, 0).await.unwrap().is_empty());
        let answered = store::ListFilter { status: Some("answered"), ..Default::default() };
        assert!(store::list_filtered(&t.db, c, &answered, 10, 0).await.unwrap().is_empty());
        let collecting_only =
            store::ListFilter { status: Some("collecting"), sort: store::Sort::MostSigned, ..Default::default() };
        assert_eq!(
            numbers(store::list_filtered(&t.db, c, &collecting_only, 1, 1).await.unwrap()),
            vec![a.number],
            "paging"
        );
    }
}

async fn published(db: &Db, c: Uuid, title: &str, body: &str) -> store::Petition {
    let author = Uuid::now_v7();
    let new = NewPetition { author_id: author, author_name: "Автор", title, body, category: "roads" };
    let p = store::create_draft(db, c, new, &Rules::default(), Utc::now()).await.unwrap();
    let cal = WorkingCalendar::default();
    store::step(db, c, p.id, Action::Submit, Some(author), "", &cal, Utc::now()).await.unwrap();
    store::step(db, c, p.id, Action::Publish, None, "", &cal, Utc::now()).await.unwrap()
}

#[tokio::test]
async fn search_finds_words_by_their_beginnings_in_either_case_and_only_in_the_community() {
    for t in databases().await {
        let c = community(&t.db, "search").await;
        let other = community(&t.db, "search-other").await;
        let lights = published(&t.db, c, "Освітлення вулиці Шевченка", "Поставити ліхтарі біля школи").await;
        let park = published(&t.db, c, "Новий сквер", "Облаштувати СКВЕР з лавками та ліхтарями").await;
        published(&t.db, other, "Освітлення парку", "Інша громада").await;
        let draft = NewPetition {
            author_id: Uuid::now_v7(),
            author_name: "Автор",
            title: "Освітлення двору",
            body: "Чернетка",
            category: "roads",
        };
        store::create_draft(&t.db, c, draft, &Rules::default(), Utc::now()).await.unwrap();
        let find = |words: &'static str| {
            let db = t.db.clone();
            async move {
                let f = store::ListFilter { words: Some(words), ..Default::default() };
                let mut found: Vec<i64> =
                    store::list_filtered(&db, c, &f, 10, 0).await.unwrap().iter().map(|p| p.number).collect();
                found.sort();
                found
            }
        };
        let name = t.backend_name();
        assert_eq!(
            find("освітл").await,
            vec![lights.number],
            "[{name}] prefix, other case; drafts and other communities hidden"
        );
        assert_eq!(find("ЛІХТАР").await, vec![lights.number, park.number], "[{name}] in the text");
        assert_eq!(find("ліхтар сквер").await, vec![park.number], "[{name}] every word must match");
        assert!(find("метро").await.is_empty(), "[{name}]");
        assert!(find("\" OR * : & | ! ( ) NEAR").await.is_empty(), "[{name}] query syntax is not passed through");
        // The text an author corrects before publication is what is found afterwards.
        let author = Uuid::now_v7();
        let new =
            NewPetition {
                author_id: author, author_name: "Автор", title: "Фонтан", body: "Старий", category: "roads"
            };
        let fountain = store::create_draft(&t.db, c, new, &Rules::default(), Utc::now()).await.unwrap();
        assert!(store::update_text(&t.db, c, fountain.id, "Питний фонтанчик", "Новий", "roads").await.unwrap());
        let cal = WorkingCalendar::default();
        store::step(&t.db, c, fountain.id, Action::Submit, Some(author), "", &cal, Utc::now()).await.unwrap();
        store::step(&t.db, c, fountain.id, Action::Publish, None, "", &cal, Utc::now()).await.unwrap();
        assert!(find("старий").await.is_empty(), "[{name}] re-indexed after an edit");
        assert_eq!(find("фонтанч").await, vec![fountain.number], "[{name}]");
        let similar = store::similar(&t.db, c, "Освітлення провулку", Uuid::now_v7(), 5).await.unwrap();
        assert_eq!(similar.iter().map(|p| p.number).collect::<Vec<_>>(), vec![lights.number], "[{name}]");
        assert!(store::similar(&t.db, c, "Освітлення", lights.id, 5).await.unwrap().is_empty(), "[{name}] not itself");
    }
}

#[tokio::test]
async fn signatures_are_counted_per_network_for_moderators_without_keeping_addresses() {
    for t in databases().await {
        let c = community(&t.db, "bursts").await;
        let p = collecting(&t.db, c, &Rules { threshold: 1000, ..Rules::default() }).await;
        let (writer, task) = GroupCommit::spawn(t.db.clone(), SignatureWriter, GroupCommitConfig::default());
        let mut handles = vec![];
        for i in 0..60 {
            let w = writer.clone();
            let mut r = request(c, p.id, &format!("n{i}"), i);
            r.network = if i < 55 { "203.0.113.0/24".into() } else { "198.51.100.0/24".into() };
            handles.push(tokio::spawn(async move { w.submit(r).await.unwrap() }));
        }
        for h in handles {
            h.await.unwrap();
        }
        // A repeated signature is refused and not counted again.
        let mut again = request(c, p.id, "n0", 0);
        again.network = "203.0.113.0/24".into();
        assert_eq!(writer.submit(again).await.unwrap(), SignOutcome::AlreadySigned);
        drop(writer);
        task.await.unwrap();
        let since = Utc::now() - Duration::hours(24);
        let bursts = store::bursts(&t.db, c, since, 50).await.unwrap();
        let name = t.backend_name();
        assert_eq!(bursts.len(), 1, "[{name}] {bursts:?}");
        assert_eq!((bursts[0].network.as_str(), bursts[0].signatures), ("203.0.113.0/24", 55), "[{name}]");
        assert_eq!(bursts[0].petition_signatures, 60, "[{name}]");
        assert_eq!(store::bursts(&t.db, c, since, 5).await.unwrap().len(), 2, "[{name}]");
        assert!(store::bursts(&t.db, c, Utc::now() + Duration::hours(2), 1).await.unwrap().is_empty(), "[{name}]");
    }
}
