//! Signing under concurrency: many identical requests of one person, the group-commit writer
//! flooded with one signer, and two app nodes sharing one PostgreSQL database.

use hromada_db::core::{communities, tokens, users};
use hromada_db::{Backend, GroupCommit};
use hromada_petitions::domain::{self, Action, Rules};
use hromada_petitions::store::{self, Petition, SignOutcome, SignRequest, SignatureWriter};
use hromada_testkit::{Options, TestApp, spawn_apps, spawn_with};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::task::JoinSet;

const ALREADY_SIGNED: &str = "petition-refused-already-signed";

/// A community whose statute lets any verified account sign, and a petition collecting
/// signatures with a threshold no test reaches (reaching it would close the collection).
async fn collecting(app: &TestApp, slug: &str) -> (communities::Community, Petition) {
    let c = app.community(slug).await;
    let statute = serde_json::json!({ "residents_only": false, "min_age": 0 });
    communities::set_statute(&app.db, c.id, "petitions", statute).await.unwrap();
    let author = app.user(&c, &format!("author@{slug}.test"), &[]).await;
    let new = store::NewPetition {
        author_id: author.id,
        author_name: "Автор",
        title: "Сквер замість парковки",
        body: "Текст",
        category: "other",
    };
    let rules = Rules { threshold: 1_000_000, ..Rules::default() };
    let p = store::create_draft(&app.db, c.id, new, &rules, app.now()).await.unwrap();
    let calendar = hromada_kernel::WorkingCalendar::default();
    for step in [Action::Submit, Action::Publish] {
        store::step(&app.db, c.id, p.id, step, None, "", &calendar, app.now()).await.unwrap();
    }
    (c.clone(), store::get(&app.db, c.id, p.id).await.unwrap().unwrap())
}

/// The whole signer list from the database, checked as a chain; with the stored counter.
async fn stored_chain(app: &TestApp, c: &communities::Community, p: &Petition) -> (Vec<domain::ChainEntry>, i64) {
    let entries = store::chain(&app.db, c.id, p.id, 0, i64::MAX).await.unwrap();
    let (n, head) = domain::verify_chain(p.id, &entries)
        .unwrap_or_else(|e| panic!("[{}] the chain does not verify: {e:?}", app.backend));
    let stored = store::get(&app.db, c.id, p.id).await.unwrap().unwrap();
    assert_eq!(n as usize, entries.len());
    assert_eq!(hex::encode(head), hex::encode(&stored.chain_head), "[{}] the stored head is the chain's", app.backend);
    (entries, stored.signature_count)
}

/// POSTs a signature with a token; (status, the JSON `error` code or "", the body).
async fn sign(http: &reqwest::Client, url: &str, token: &str) -> (u16, String, serde_json::Value) {
    let r = http
        .post(url)
        .bearer_auth(token)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap_or_else(|e| panic!("no answer from {url}: {e}"));
    let status = r.status().as_u16();
    let body: serde_json::Value = r.json().await.unwrap_or(serde_json::Value::Null);
    let code = body["error"].as_str().unwrap_or("").to_owned();
    (status, code, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_parallel_sign_requests_of_one_person_give_one_signature() {
    const REQUESTS: usize = 1000;
    for app in spawn_apps().await {
        let (c, p) = collecting(&app, "flood").await;
        let token = signer(&app.db, &app.state.config.secret, &c, 1, app.now()).await;
        let url = app.url(&format!("/c/flood/api/v1/petitions/{}/signatures", p.number));
        let http = reqwest::Client::new();
        // Every request is on its own connection and leaves at the same moment.
        let start = Arc::new(tokio::sync::Barrier::new(REQUESTS));
        let mut requests = JoinSet::new();
        for _ in 0..REQUESTS {
            let (http, url, token, start) = (http.clone(), url.clone(), token.clone(), start.clone());
            requests.spawn(async move {
                start.wait().await;
                sign(&http, &url, &token).await
            });
        }
        let mut answers: HashMap<(u16, String), usize> = HashMap::new();
        let mut receipt = None;
        while let Some(answer) = requests.join_next().await {
            let (status, code, body) = answer.unwrap();
            if status == 201 {
                receipt = Some((body["seq"].as_i64().unwrap(), body["receipt_code"].as_str().unwrap().to_owned()));
            }
            *answers.entry((status, code)).or_default() += 1;
        }
        let count = |status: u16, code: &str| answers.get(&(status, code.to_owned())).copied().unwrap_or(0);
        let (signed, already, limited) = (count(201, ""), count(409, ALREADY_SIGNED), count(429, "too-many-requests"));
        assert_eq!(signed, 1, "[{}] exactly one signature is taken: {answers:?}", app.backend);
        // Every other answer is a refusal a client understands, never a server error: "already
        // signed", or the per-account rate limit on signing, which turns most of a flood away
        // before it reaches the writer.
        assert_eq!(signed + already + limited, REQUESTS, "[{}] unexpected answers: {answers:?}", app.backend);
        assert!(
            already > 0,
            "[{}] some duplicates reached the writer and were refused there: {answers:?}",
            app.backend
        );

        let (entries, counter) = stored_chain(&app, &c, &p).await;
        assert_eq!((entries.len(), counter), (1, 1), "[{}] one row, counter 1", app.backend);
        let (seq, code) = receipt.unwrap();
        assert_eq!(seq, 1);
        assert!(domain::find_receipt(p.id, &entries, &code).is_some(), "[{}] the receipt is in the chain", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writer_takes_one_of_a_thousand_simultaneous_signatures_of_one_person() {
    // Below the HTTP rate limit: every one of them reaches the group-commit writer, in batches.
    const REQUESTS: usize = 1000;
    for app in spawn_apps().await {
        let (c, p) = collecting(&app, "writer").await;
        let writer = app.state.extension::<GroupCommit<SignatureWriter>>().expect("the signature writer").clone();
        let mut submits = JoinSet::new();
        for i in 0..REQUESTS {
            let request = SignRequest {
                community: c.id,
                petition: p.id,
                signer_key: b"p:one and the same person".to_vec(),
                user_id: None,
                display_name: "Шевченко Т.".into(),
                receipt_code: format!("R{i:04}"),
                at: app.now(),
                network: String::new(),
            };
            let writer = writer.clone();
            submits.spawn(async move { (writer.submit(request).await, format!("R{i:04}")) });
        }
        let (mut signed, mut already, mut receipt) = (0, 0, None);
        while let Some(done) = submits.join_next().await {
            match done.unwrap() {
                (Ok(SignOutcome::Signed { seq: 1, count: 1 }), code) => {
                    signed += 1;
                    receipt = Some(code);
                }
                (Ok(SignOutcome::AlreadySigned), _) => already += 1,
                (other, _) => panic!("[{}] unexpected outcome {other:?}", app.backend),
            }
        }
        assert_eq!((signed, already), (1, REQUESTS - 1), "[{}]", app.backend);
        let (entries, counter) = stored_chain(&app, &c, &p).await;
        assert_eq!((entries.len(), counter), (1, 1), "[{}] one row, counter 1", app.backend);
        assert!(domain::find_receipt(p.id, &entries, &receipt.unwrap()).is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_app_nodes_on_one_postgres_database_take_each_signature_once() {
    const SIGNERS: usize = 300;
    let Some(first) = spawn_with(Options { backend: Some(Backend::Postgres), ..Default::default() }).await else {
        return; // PostgreSQL is not configured for tests.
    };
    // Declared after `first`, so it stops before the database it borrows is removed.
    let second = spawn_with(Options { database_url: Some(first.database_url.clone()), ..Default::default() })
        .await
        .expect("a second node on the same database");
    assert_eq!(second.backend, "postgres");
    let (c, p) = collecting(&first, "nodes").await;
    let mut made = JoinSet::new();
    for i in 0..SIGNERS {
        let (db, secret, c, now) = (first.db.clone(), first.state.config.secret.clone(), c.clone(), first.now());
        made.spawn(async move { signer(&db, &secret, &c, i, now).await });
    }
    let mut signers = vec![];
    while let Some(s) = made.join_next().await {
        signers.push(s.unwrap());
    }

    // Each person signs on both nodes at the same moment: one of the two must say "already signed".
    let http = reqwest::Client::new();
    let path = format!("/c/nodes/api/v1/petitions/{}/signatures", p.number);
    let start = Arc::new(tokio::sync::Barrier::new(SIGNERS * 2));
    let mut requests = JoinSet::new();
    for (i, token) in signers.iter().enumerate() {
        for url in [first.url(&path), second.url(&path)] {
            let (http, token, start) = (http.clone(), token.clone(), start.clone());
            requests.spawn(async move {
                start.wait().await;
                (i, sign(&http, &url, &token).await)
            });
        }
    }
    let mut per_signer: HashMap<usize, Vec<(u16, String)>> = HashMap::new();
    let mut receipts = vec![];
    while let Some(done) = requests.join_next().await {
        let (i, (status, code, body)) = done.unwrap();
        if status == 201 {
            receipts.push((body["seq"].as_u64().unwrap(), body["receipt_code"].as_str().unwrap().to_owned()));
        }
        per_signer.entry(i).or_default().push((status, code));
    }
    for (i, answers) in &per_signer {
        let mut answers = answers.clone();
        answers.sort();
        assert_eq!(
            answers,
            vec![(201, String::new()), (409, ALREADY_SIGNED.to_owned())],
            "signer {i}: one signature and one refusal"
        );
    }
    assert_eq!(receipts.len(), SIGNERS, "every person signed once");

    let (entries, counter) = stored_chain(&first, &c, &p).await;
    assert_eq!((entries.len(), counter), (SIGNERS, SIGNERS as i64), "rows = counter = signatures acknowledged");
    for (seq, code) in &receipts {
        let entry = &entries[*seq as usize - 1];
        assert_eq!(hex::encode(domain::receipt_commitment(p.id, *seq, code)), entry.commitment, "receipt of No. {seq}");
    }
    // Both nodes publish the same list.
    let list_path = format!("{path}?limit=1000");
    for node in [&first, &second] {
        let page: serde_json::Value = http.get(node.url(&list_path)).send().await.unwrap().json().await.unwrap();
        let published: Vec<domain::ChainEntry> = serde_json::from_value(page["entries"].clone()).unwrap();
        let (n, head) = domain::verify_chain(p.id, &published).unwrap();
        assert_eq!((n as usize, page["count"].as_u64().unwrap() as usize), (SIGNERS, SIGNERS));
        assert_eq!(hex::encode(head), page["head"].as_str().unwrap());
    }
}

/// A person verified by e-ID, with a personal API token (returned); needs no `TestApp`, so that
/// many can be made at once.
async fn signer(
    db: &hromada_db::Db,
    secret: &[u8],
    c: &communities::Community,
    i: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let new = users::NewUser {
        email: Some(format!("signer{i}@{}.test", c.slug)),
        full_name: format!("Підписант{i} Тест"),
        lang: "uk".into(),
        ..Default::default()
    };
    let u = users::create(db, c.id, new, now).await.unwrap();
    users::confirm_email(db, c.id, u.id, now).await.unwrap();
    let key = hromada_web::auth::person_key(secret, &format!("{:010}", 8_000_000_000u64 + i as u64)).unwrap();
    users::set_person_key(db, c.id, u.id, &key, users::PersonProof::Eid, now).await.unwrap();
    let token = hromada_web::auth::new_token();
    tokens::create_api_token(db, c.id, u.id, "test", &hromada_web::auth::hash_token(&token), now).await.unwrap();
    token
}
