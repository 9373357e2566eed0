use crate::{community, document, each, photo, t0};
use chrono::Duration;
use hromada_db::fetch_one;
use hromada_media::store::{self, NewFile};
use hromada_media::{Kind, Variant};

fn petition_image(object: Option<&str>) -> NewFile<'_> {
    NewFile { owner: "petitions", object_id: object, purpose: "image", public: true, created_by: None }
}

#[tokio::test]
async fn a_saved_image_keeps_its_variants_and_description() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let image = photo(1800, 300);
        let saved = store::save(&t.db, c.id, &image, &petition_image(Some("42")), t0()).await.expect("save");
        assert_eq!(saved.kind(), Kind::Image, "{b}");
        assert_eq!((saved.width, saved.height), (Some(1800), Some(300)), "{b}");
        assert_eq!(saved.file_name, "фото.jpg", "{b}");
        assert_eq!(saved.alt_text.as_deref(), Some("Сквер"), "{b}");
        assert_eq!(saved.byte_size, image.original().data.len() as i64, "{b}");
        assert_eq!(store::get(&t.db, c.id, saved.id).await.expect("get"), Some(saved.clone()), "{b}");
        assert_eq!(saved.path(Variant::Thumb), format!("/media/{}/thumb", saved.id));

        for (variant, rendition) in Variant::ALL.iter().zip(&image.renditions) {
            let got = store::content(&t.db, c.id, saved.id, *variant).await.expect("content").expect("stored");
            assert_eq!(got.variant, variant.code(), "{b}");
            assert_eq!(got.data, rendition.data, "{b}: {variant:?}");
            assert_eq!(got.sha256, rendition.sha256, "{b}");
            assert_eq!(got.content_type, "image/jpeg", "{b}");
        }
    }
}

#[tokio::test]
async fn a_small_image_serves_its_original_for_every_size() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let small = photo(300, 200);
        let saved = store::save(&t.db, c.id, &small, &petition_image(Some("1")), t0()).await.expect("save");
        for variant in Variant::ALL {
            let got = store::content(&t.db, c.id, saved.id, variant).await.expect("content").expect("stored");
            assert_eq!(got.variant, "original", "{b}: {variant:?}");
        }
        // A mid-size one has a thumbnail but no display variant.
        let mid = photo(1000, 500);
        let saved = store::save(&t.db, c.id, &mid, &petition_image(Some("1")), t0()).await.expect("save");
        let got = store::content(&t.db, c.id, saved.id, Variant::Display).await.expect("content").expect("stored");
        assert_eq!(got.variant, "original", "{b}");
        let got = store::content(&t.db, c.id, saved.id, Variant::Thumb).await.expect("content").expect("stored");
        assert_eq!(got.variant, "thumb", "{b}");
    }
}

#[tokio::test]
async fn files_are_listed_per_object_and_per_community() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let first = store::save(&t.db, c.id, &photo(10, 10), &petition_image(Some("7")), t0()).await.expect("save");
        let answer = NewFile { purpose: "answer", ..petition_image(Some("7")) };
        let second = store::save(&t.db, c.id, &document(), &answer, t0() + Duration::seconds(1)).await.expect("save");
        store::save(&t.db, c.id, &photo(10, 10), &petition_image(Some("8")), t0()).await.expect("save");
        let appeal = NewFile { owner: "appeals", ..petition_image(Some("7")) };
        store::save(&t.db, c.id, &photo(10, 10), &appeal, t0()).await.expect("save");
        store::save(&t.db, other.id, &photo(10, 10), &petition_image(Some("7")), t0()).await.expect("save");

        let listed = store::list_for(&t.db, c.id, "petitions", "7").await.expect("list");
        let ids: Vec<_> = listed.iter().map(|f| (f.id, f.purpose.as_str(), f.kind())).collect();
        assert_eq!(ids, [(first.id, "image", Kind::Image), (second.id, "answer", Kind::Document)], "{b}");
        assert_eq!(listed[1].content_type, "application/pdf", "{b}");
        assert_eq!(listed[1].width, None, "{b}");

        assert_eq!(store::get(&t.db, other.id, first.id).await.expect("get"), None, "{b}: not another community's");
        assert!(store::content(&t.db, other.id, first.id, Variant::Original).await.expect("content").is_none(), "{b}");
    }
}

#[tokio::test]
async fn pending_files_are_attached_once_and_purged_when_abandoned() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let pending = store::save(&t.db, c.id, &photo(10, 10), &petition_image(None), t0()).await.expect("save");
        let abandoned = store::save(&t.db, c.id, &photo(10, 10), &petition_image(None), t0()).await.expect("save");
        let elsewhere = store::save(&t.db, other.id, &photo(10, 10), &petition_image(None), t0()).await.expect("save");

        assert_eq!(store::attach(&t.db, c.id, "appeals", &[pending.id], "9").await.expect("attach"), 0, "{b}: owner");
        assert_eq!(store::attach(&t.db, c.id, "petitions", &[elsewhere.id], "9").await.expect("attach"), 0, "{b}");
        assert_eq!(store::attach(&t.db, c.id, "petitions", &[pending.id], "9").await.expect("attach"), 1, "{b}");
        assert_eq!(store::attach(&t.db, c.id, "petitions", &[pending.id], "10").await.expect("attach"), 0, "{b}: once");
        let listed = store::list_for(&t.db, c.id, "petitions", "9").await.expect("list");
        assert_eq!(listed.iter().map(|f| f.id).collect::<Vec<_>>(), [pending.id], "{b}");

        let purged = store::purge_unattached(&t.db, t0() + Duration::hours(1)).await.expect("purge");
        assert_eq!(purged, 2, "{b}: the abandoned ones of both communities");
        assert!(store::get(&t.db, c.id, abandoned.id).await.expect("get").is_none(), "{b}");
        assert!(store::get(&t.db, c.id, pending.id).await.expect("get").is_some(), "{b}");
    }
}

#[tokio::test]
async fn visibility_alt_text_and_deletion_stay_within_the_owner() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let draft = NewFile { public: false, ..petition_image(Some("5")) };
        let f = store::save(&t.db, c.id, &photo(1800, 300), &draft, t0()).await.expect("save");
        let g = store::save(&t.db, c.id, &document(), &draft, t0()).await.expect("save");

        assert_eq!(store::set_public(&t.db, c.id, "appeals", "5", true).await.expect("publish"), 0, "{b}");
        assert_eq!(store::set_public(&t.db, c.id, "petitions", "5", true).await.expect("publish"), 2, "{b}");
        assert!(store::get(&t.db, c.id, f.id).await.expect("get").expect("there").public, "{b}");

        assert!(store::set_alt_text(&t.db, c.id, "petitions", f.id, Some(" Нова лавка ")).await.expect("alt"), "{b}");
        let alt = store::get(&t.db, c.id, f.id).await.expect("get").expect("there").alt_text;
        assert_eq!(alt.as_deref(), Some("Нова лавка"), "{b}");

        assert!(!store::delete(&t.db, c.id, "appeals", f.id).await.expect("delete"), "{b}: another module's");
        assert!(store::delete(&t.db, c.id, "petitions", f.id).await.expect("delete"), "{b}");
        assert!(store::get(&t.db, c.id, f.id).await.expect("get").is_none(), "{b}");
        let (variants,): (i64,) = fetch_one!(
            &t.db,
            hromada_db::sqlx::query_as("SELECT COUNT(*) FROM media_variants WHERE file_id = $1").bind(f.id)
        )
        .expect("count");
        assert_eq!(variants, 0, "{b}: the variants went with the file");

        assert_eq!(store::delete_for(&t.db, c.id, "petitions", "5").await.expect("delete"), 1, "{b}");
        assert!(store::get(&t.db, c.id, g.id).await.expect("get").is_none(), "{b}");
    }
}

#[tokio::test]
async fn deleting_a_community_deletes_its_files() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        store::save(&t.db, c.id, &photo(1800, 300), &petition_image(Some("1")), t0()).await.expect("save");
        hromada_db::execute!(&t.db, hromada_db::sqlx::query("DELETE FROM communities WHERE id = $1").bind(c.id))
            .expect("delete community");
        let (n,): (i64,) =
            fetch_one!(&t.db, hromada_db::sqlx::query_as("SELECT COUNT(*) FROM media_variants")).expect("count");
        assert_eq!(n, 0, "{b}");
    }
}
