use crate::{at, community, each};
use hromada_db::Db;
use hromada_db::core::audit::{self, Actor, AuditEntry, Filter};
use hromada_kernel::CommunityId;

fn person(label: &str) -> Actor {
    Actor { kind: "user", id: Some(uuid::Uuid::now_v7()), label: label.into() }
}

async fn list(db: &Db, community: Option<CommunityId>, filter: &Filter, limit: i64, offset: i64) -> Vec<String> {
    audit::list(db, community, filter, limit, offset)
        .await
        .expect("list")
        .into_iter()
        .map(|e: AuditEntry| e.summary)
        .collect()
}

/// Records, in time order: e1..e5 in the community, p1 and p2 on the platform, x1 elsewhere.
async fn seed(db: &Db, c: CommunityId, other: CommunityId) {
    let olena = person("Олена Коваль (admin)");
    let taras = person("Taras Melnyk");
    let rows: [(Option<CommunityId>, &Actor, &str, &str, i64); 8] = [
        (Some(c), &olena, "role.grant", "e1", 10),
        (Some(c), &taras, "user.verify_in_person", "e2", 20),
        (None, &Actor::cli(), "community.create", "p1", 25),
        (Some(c), &olena, "role.revoke", "e3", 30),
        (Some(other), &olena, "role.grant", "x1", 35),
        (Some(c), &Actor::system(), "roles.cleanup", "e4", 40),
        (None, &Actor::system(), "role.grant", "p2", 45),
        (Some(c), &taras, "department.create", "e5", 50),
    ];
    for (community, actor, action, summary, t) in rows {
        audit::record(db, community, actor, action, "thing", Some("42"), summary, at(t)).await.expect("record");
    }
}

#[tokio::test]
async fn entries_are_per_community_and_newest_first() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        seed(&t.db, c.id, other.id).await;
        let all = Filter::default();
        assert_eq!(list(&t.db, Some(c.id), &all, 100, 0).await, ["e5", "e4", "e3", "e2", "e1"], "{b}");
        assert_eq!(list(&t.db, Some(other.id), &all, 100, 0).await, ["x1"], "{b}");
        assert_eq!(
            list(&t.db, None, &all, 100, 0).await,
            ["p2", "p1"],
            "{b}: platform entries are separate from every community's"
        );

        let full = audit::list(&t.db, Some(c.id), &all, 1, 0).await.expect("list");
        let e5 = &full[0];
        assert_eq!(e5.community_id, Some(c.id), "{b}");
        assert_eq!(e5.at, at(50), "{b}");
        assert_eq!(e5.actor_kind, "user", "{b}");
        assert_eq!(e5.actor_label, "Taras Melnyk", "{b}");
        assert_eq!(e5.action, "department.create", "{b}");
        assert_eq!(e5.target_type, "thing", "{b}");
        assert_eq!(e5.target_id.as_deref(), Some("42"), "{b}");
    }
}

#[tokio::test]
async fn entries_in_the_same_instant_have_a_stable_order() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        for summary in ["a", "b", "c"] {
            audit::record(&t.db, Some(c.id), &Actor::system(), "x.y", "t", None, summary, at(1)).await.expect("record");
        }
        let first = list(&t.db, Some(c.id), &Filter::default(), 10, 0).await;
        assert_eq!(first, ["c", "b", "a"], "{b}: the later-recorded (larger id) first");
        let paged: Vec<String> = [
            list(&t.db, Some(c.id), &Filter::default(), 1, 0).await,
            list(&t.db, Some(c.id), &Filter::default(), 1, 1).await,
            list(&t.db, Some(c.id), &Filter::default(), 1, 2).await,
        ]
        .concat();
        assert_eq!(paged, first, "{b}: pages agree with the full list");
    }
}

#[tokio::test]
async fn filters_by_action_prefix_actor_and_time() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        seed(&t.db, c.id, other.id).await;

        let by_action = Filter { action_prefix: Some("role.".into()), ..Filter::default() };
        assert_eq!(
            list(&t.db, Some(c.id), &by_action, 100, 0).await,
            ["e3", "e1"],
            "{b}: `role.` does not match `roles.cleanup`"
        );
        assert_eq!(list(&t.db, None, &by_action, 100, 0).await, ["p2"], "{b}: platform");

        let by_actor = Filter { actor: Some("Коваль".into()), ..Filter::default() };
        assert_eq!(list(&t.db, Some(c.id), &by_actor, 100, 0).await, ["e3", "e1"], "{b}");
        let by_actor = Filter { actor: Some("Melnyk".into()), ..Filter::default() };
        assert_eq!(list(&t.db, Some(c.id), &by_actor, 100, 0).await, ["e5", "e2"], "{b}");

        // Wildcards typed by the user are not wildcards.
        let wild = Filter { actor: Some("Олена%(admin)".into()), ..Filter::default() };
        assert!(list(&t.db, Some(c.id), &wild, 100, 0).await.is_empty(), "{b}: `%` is no wildcard");
        let wild = Filter { action_prefix: Some("_ole".into()), ..Filter::default() };
        assert!(list(&t.db, Some(c.id), &wild, 100, 0).await.is_empty(), "{b}: `_` is no wildcard");

        let combined = Filter {
            action_prefix: Some("role".into()),
            actor: Some("Олена".into()),
            since: Some(at(30)),
            target_id: None,
        };
        assert_eq!(list(&t.db, Some(c.id), &combined, 100, 0).await, ["e3"], "{b}: all filters apply");

        let since = Filter { since: Some(at(40)), ..Filter::default() };
        assert_eq!(list(&t.db, Some(c.id), &since, 100, 0).await, ["e5", "e4"], "{b}: since is inclusive");
    }
}

#[tokio::test]
async fn limit_and_offset_page_through() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        seed(&t.db, c.id, other.id).await;
        let all = Filter::default();
        assert_eq!(list(&t.db, Some(c.id), &all, 2, 0).await, ["e5", "e4"], "{b}");
        assert_eq!(list(&t.db, Some(c.id), &all, 2, 2).await, ["e3", "e2"], "{b}");
        assert_eq!(list(&t.db, Some(c.id), &all, 2, 4).await, ["e1"], "{b}");
        assert!(list(&t.db, Some(c.id), &all, 2, 6).await.is_empty(), "{b}");
        assert!(list(&t.db, Some(c.id), &all, 0, 0).await.is_empty(), "{b}");
    }
}

/// The actor filter is a search box: a name typed in another case should find the same
/// entries on every backend.
#[tokio::test]
async fn actor_filter_ignores_case_on_every_backend() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        seed(&t.db, c.id, other.id).await;
        let lower = Filter { actor: Some("taras".into()), ..Filter::default() };
        assert_eq!(list(&t.db, Some(c.id), &lower, 100, 0).await, ["e5", "e2"], "{b}");
        let upper_action = Filter { action_prefix: Some("ROLE.".into()), ..Filter::default() };
        assert_eq!(list(&t.db, Some(c.id), &upper_action, 100, 0).await, ["e3", "e1"], "{b}");
    }
}
