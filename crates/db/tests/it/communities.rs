use crate::{community, each, new_community, t0};
use hromada_db::DbError;
use hromada_db::core::communities::{self, Contacts};
use hromada_kernel::Lang;
use serde_json::json;

#[tokio::test]
async fn create_and_find_by_slug_and_id() {
    for t in each().await {
        let b = t.backend_name();
        let created = communities::create(&t.db, new_community("bucha"), t0())
            .await
            .unwrap_or_else(|e| panic!("{b}: create: {e}"));
        assert!(created.enabled, "{b}: a new community is enabled");
        assert_eq!(created.statute.0, json!({}), "{b}: empty statute");

        let by_slug = communities::by_slug(&t.db, "bucha").await.expect("by_slug");
        let by_slug = by_slug.unwrap_or_else(|| panic!("{b}: found by slug"));
        assert_eq!(by_slug.id, created.id, "{b}");
        assert_eq!(by_slug.name_uk, "Громада bucha", "{b}");
        assert_eq!(by_slug.name(Lang::En), "Community bucha", "{b}");
        assert_eq!(by_slug.contacts.0, new_community("bucha").contacts, "{b}: contacts");
        assert_eq!(by_slug.created_at, t0(), "{b}: created_at round-trips");

        let by_id = communities::by_id(&t.db, created.id).await.expect("by_id");
        assert_eq!(by_id.map(|c| c.slug), Some("bucha".to_owned()), "{b}");

        assert!(communities::by_slug(&t.db, "irpin").await.expect("by_slug").is_none(), "{b}: unknown slug");
        assert!(communities::by_id(&t.db, uuid::Uuid::now_v7()).await.expect("by_id").is_none(), "{b}: unknown id");

        community(&t.db, "avdiivka").await;
        let all: Vec<String> = communities::list(&t.db).await.expect("list").into_iter().map(|c| c.slug).collect();
        assert_eq!(all, ["avdiivka", "bucha"], "{b}: list is ordered by name");
    }
}

#[tokio::test]
async fn duplicate_slug_is_unique_violation() {
    for t in each().await {
        let b = t.backend_name();
        community(&t.db, "bucha").await;
        let mut again = new_community("bucha");
        again.name_uk = "Інша".into();
        match communities::create(&t.db, again, t0()).await {
            Err(e @ DbError::Unique(_)) => {
                assert!(e.is_unique_on("slug"), "{b}: the violation names the slug: {e}")
            }
            other => panic!("{b}: expected DbError::Unique, got {other:?}"),
        }
        assert_eq!(communities::list(&t.db).await.expect("list").len(), 1, "{b}: one row");
    }
}

#[tokio::test]
async fn primary_host_alias_and_demotion() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        assert!(communities::by_host(&t.db, "bucha.gov.ua").await.expect("by_host").is_none());

        communities::set_primary_host(&t.db, c.id, "bucha.gov.ua").await.expect("primary");
        let (found, primary) = communities::by_host(&t.db, "bucha.gov.ua")
            .await
            .expect("by_host")
            .unwrap_or_else(|| panic!("{b}: host resolves"));
        assert_eq!(found.id, c.id, "{b}");
        assert!(primary, "{b}: first host is primary");
        assert_eq!(
            communities::primary_host(&t.db, c.id).await.expect("primary_host").as_deref(),
            Some("bucha.gov.ua"),
            "{b}"
        );

        // A new primary host demotes the old one to an alias.
        communities::set_primary_host(&t.db, c.id, "bucha.hromada.example").await.expect("new");
        let (_, old_is_primary) =
            communities::by_host(&t.db, "bucha.gov.ua").await.expect("by_host").expect("old host");
        assert!(!old_is_primary, "{b}: the former primary is an alias now");
        let (_, new_is_primary) =
            communities::by_host(&t.db, "bucha.hromada.example").await.expect("by_host").expect("new host");
        assert!(new_is_primary, "{b}: the new host is primary");
        assert_eq!(
            communities::primary_host(&t.db, c.id).await.expect("primary_host").as_deref(),
            Some("bucha.hromada.example"),
            "{b}"
        );

        // Promoting the alias back works too, and exactly one host stays primary.
        communities::set_primary_host(&t.db, c.id, "bucha.gov.ua").await.expect("back");
        communities::add_alias_host(&t.db, c.id, "www.bucha.gov.ua").await.expect("alias");
        let hosts = communities::hosts(&t.db, c.id).await.expect("hosts");
        let listed: Vec<(&str, bool)> = hosts.iter().map(|h| (h.host.as_str(), h.is_primary)).collect();
        assert_eq!(
            listed,
            [("bucha.gov.ua", true), ("bucha.hromada.example", false), ("www.bucha.gov.ua", false)],
            "{b}: primary first, then aliases by name"
        );
    }
}

#[tokio::test]
async fn host_names_are_stored_trimmed_and_lowercase() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        communities::set_primary_host(&t.db, c.id, "  Bucha.GOV.ua ").await.expect("primary");
        let hosts = communities::hosts(&t.db, c.id).await.expect("hosts");
        assert_eq!(hosts.len(), 1, "{b}");
        assert_eq!(hosts[0].host, "bucha.gov.ua", "{b}: normalised");
        assert!(communities::by_host(&t.db, "bucha.gov.ua").await.expect("by_host").is_some());
    }
}

#[tokio::test]
async fn a_host_of_another_community_is_a_conflict() {
    for t in each().await {
        let b = t.backend_name();
        let bucha = community(&t.db, "bucha").await;
        let irpin = community(&t.db, "irpin").await;
        communities::set_primary_host(&t.db, bucha.id, "bucha.gov.ua").await.expect("primary");
        communities::set_primary_host(&t.db, irpin.id, "irpin.gov.ua").await.expect("primary");

        for (what, result) in [
            ("set_primary_host", communities::set_primary_host(&t.db, irpin.id, "bucha.gov.ua").await),
            ("add_alias_host", communities::add_alias_host(&t.db, irpin.id, "BUCHA.gov.ua").await),
        ] {
            match result {
                Err(DbError::Unique(_)) => {}
                other => panic!("{b}: {what}: expected DbError::Unique, got {other:?}"),
            }
        }
        let (owner, primary) = communities::by_host(&t.db, "bucha.gov.ua").await.expect("by_host").expect("host");
        assert_eq!(owner.id, bucha.id, "{b}: the host still belongs to its community");
        assert!(primary, "{b}: and is still its primary");
        assert_eq!(
            communities::primary_host(&t.db, irpin.id).await.expect("primary_host").as_deref(),
            Some("irpin.gov.ua"),
            "{b}: the refused change did not demote the other community's primary"
        );
    }
}

#[tokio::test]
async fn remove_host() {
    for t in each().await {
        let b = t.backend_name();
        let bucha = community(&t.db, "bucha").await;
        let irpin = community(&t.db, "irpin").await;
        communities::set_primary_host(&t.db, bucha.id, "bucha.gov.ua").await.expect("primary");
        communities::add_alias_host(&t.db, bucha.id, "old.bucha.gov.ua").await.expect("alias");

        assert!(
            !communities::remove_host(&t.db, irpin.id, "bucha.gov.ua").await.expect("remove"),
            "{b}: another community cannot remove the host"
        );
        assert!(communities::by_host(&t.db, "bucha.gov.ua").await.expect("by_host").is_some());

        assert!(communities::remove_host(&t.db, bucha.id, "old.bucha.gov.ua").await.expect("remove"), "{b}: removed");
        assert!(
            communities::by_host(&t.db, "old.bucha.gov.ua").await.expect("by_host").is_none(),
            "{b}: a removed host no longer resolves"
        );
        assert!(
            !communities::remove_host(&t.db, bucha.id, "old.bucha.gov.ua").await.expect("remove"),
            "{b}: removing twice reports nothing removed"
        );
        assert_eq!(communities::hosts(&t.db, bucha.id).await.expect("hosts").len(), 1, "{b}");

        // A freed host may be taken by another community.
        communities::remove_host(&t.db, bucha.id, "bucha.gov.ua").await.expect("remove");
        communities::set_primary_host(&t.db, irpin.id, "bucha.gov.ua").await.expect("take over");
        let (owner, _) = communities::by_host(&t.db, "bucha.gov.ua").await.expect("by_host").expect("host");
        assert_eq!(owner.id, irpin.id, "{b}");
    }
}

#[tokio::test]
async fn set_enabled_and_update_details() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        communities::set_enabled(&t.db, c.id, false).await.expect("disable");
        let got = communities::by_id(&t.db, c.id).await.expect("by_id").expect("row");
        assert!(!got.enabled, "{b}: disabled");
        let untouched = communities::by_id(&t.db, other.id).await.expect("by_id").expect("row");
        assert!(untouched.enabled, "{b}: the other community is still enabled");
        communities::set_enabled(&t.db, c.id, true).await.expect("enable");
        assert!(communities::by_id(&t.db, c.id).await.expect("by_id").expect("row").enabled);

        let contacts = Contacts {
            address: "майдан Незалежності, 2".into(),
            phone: "+380440000000".into(),
            email: "info@bucha.gov.ua".into(),
            hours: "Пн–Чт".into(),
        };
        communities::update_details(&t.db, c.id, "Бучанська", None, Some("/coat.svg"), &contacts)
            .await
            .expect("update");
        let got = communities::by_id(&t.db, c.id).await.expect("by_id").expect("row");
        assert_eq!(got.name_uk, "Бучанська", "{b}");
        assert_eq!(got.name_en, None, "{b}");
        assert_eq!(got.name(Lang::En), "Бучанська", "{b}: English falls back to Ukrainian");
        assert_eq!(got.coat_of_arms.as_deref(), Some("/coat.svg"), "{b}");
        assert_eq!(got.contacts.0, contacts, "{b}");
        assert_eq!(got.slug, "bucha", "{b}: slug unchanged");
    }
}

#[tokio::test]
async fn set_statute_keeps_other_modules_settings() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let petitions = json!({"threshold": 250, "days": 60});
        communities::set_statute(&t.db, c.id, "petitions", petitions.clone()).await.expect("set");
        communities::set_statute(&t.db, c.id, "appeals", json!({"max_days": 30})).await.expect("set");
        let got = communities::by_id(&t.db, c.id).await.expect("by_id").expect("row");
        assert_eq!(got.statute_of("petitions"), &petitions, "{b}: first module kept");
        assert_eq!(got.statute_of("appeals"), &json!({"max_days": 30}), "{b}");
        assert_eq!(got.statute_of("budget"), &serde_json::Value::Null, "{b}: unset is null");

        // Replacing one module's settings replaces them whole and leaves the others.
        communities::set_statute(&t.db, c.id, "appeals", json!({"max_days": 15})).await.expect("replace");
        let got = communities::by_id(&t.db, c.id).await.expect("by_id").expect("row");
        assert_eq!(got.statute.0, json!({"petitions": petitions, "appeals": {"max_days": 15}}), "{b}");

        match communities::set_statute(&t.db, uuid::Uuid::now_v7(), "x", json!(1)).await {
            Err(DbError::NotFound) => {}
            other => panic!("{b}: an unknown community is NotFound, got {other:?}"),
        }
    }
}
