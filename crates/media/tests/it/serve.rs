use crate::{community, document, each, photo, state, t0};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use hromada_db::core::communities::Community;
use hromada_db::core::users::{self, NewUser};
use hromada_kernel::Role;
use hromada_media::store::{self, NewFile};
use hromada_media::{MediaFile, Variant};
use hromada_web::auth::Viewer;
use hromada_web::{AppState, Tenant};
use tower::ServiceExt;

/// The media routes as a community's router mounts them, for one community and viewer.
fn app(state: &AppState, community: &Community, viewer: Viewer) -> Router {
    let tenant = Tenant { community: community.clone(), base: String::new() };
    hromada_media::routes()
        .layer(from_fn(move |mut req: Request, next: Next| {
            req.extensions_mut().insert(tenant.clone());
            req.extensions_mut().insert(viewer.clone());
            next.run(req)
        }))
        .with_state(state.clone())
}

async fn get(app: &Router, path: &str, if_none_match: Option<&str>) -> Response {
    let mut req = Request::get(path);
    if let Some(tag) = if_none_match {
        req = req.header(header::IF_NONE_MATCH, tag);
    }
    app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
}

fn header_of(response: &Response, name: header::HeaderName) -> &str {
    response.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or_default()
}

async fn save(db: &hromada_db::Db, c: &Community, file: &hromada_media::Processed, public: bool) -> MediaFile {
    let new = NewFile { owner: "petitions", object_id: Some("1"), purpose: "image", public, created_by: None };
    store::save(db, c.id, file, &new, t0()).await.expect("save")
}

#[tokio::test]
async fn an_image_is_served_inline_and_cached_for_good() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let image = photo(1800, 300);
        let f = save(&t.db, &c, &image, true).await;
        let app = app(&state(&t.db), &c, Viewer::default());

        for (variant, rendition) in Variant::ALL.iter().zip(&image.renditions) {
            let response = get(&app, &f.path(*variant), None).await;
            assert_eq!(response.status(), StatusCode::OK, "{b}");
            assert_eq!(header_of(&response, header::CONTENT_TYPE), "image/jpeg", "{b}");
            assert_eq!(header_of(&response, header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{b}");
            assert_eq!(
                header_of(&response, header::CONTENT_DISPOSITION),
                "inline; filename=\"____.jpg\"; filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE.jpg",
                "{b}"
            );
            assert_eq!(header_of(&response, header::ETAG), format!("\"{}\"", rendition.sha256), "{b}");
            assert_eq!(header_of(&response, header::CACHE_CONTROL), "public, max-age=31536000, immutable", "{b}");
            let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
            assert_eq!(body.as_ref(), rendition.data.as_slice(), "{b}: {variant:?}");
        }

        let etag = format!("\"{}\"", image.renditions[2].sha256);
        let again = get(&app, &f.path(Variant::Thumb), Some(&etag)).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{b}");
        assert_eq!(header_of(&again, header::ETAG), etag, "{b}");
        assert!(to_bytes(again.into_body(), usize::MAX).await.unwrap().is_empty(), "{b}");
    }
}

#[tokio::test]
async fn a_pdf_downloads_under_its_name() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let f = save(&t.db, &c, &document(), true).await;
        let app = app(&state(&t.db), &c, Viewer::default());
        let response = get(&app, &f.path(Variant::Original), None).await;
        assert_eq!(response.status(), StatusCode::OK, "{b}");
        assert_eq!(header_of(&response, header::CONTENT_TYPE), "application/pdf", "{b}");
        let disposition = header_of(&response, header::CONTENT_DISPOSITION);
        assert!(disposition.starts_with("attachment; filename=\""), "{b}: {disposition}");
        assert!(
            disposition.ends_with(
                "filename*=UTF-8''%D0%A0%D1%96%D1%88%D0%B5%D0%BD%D0%BD%D1%8F%20%D1%80%D0%B0%D0%B4%D0%B8.pdf"
            ),
            "{b}: {disposition}"
        );
        // A document has no smaller variants: they are the original.
        assert_eq!(get(&app, &f.path(Variant::Thumb), None).await.status(), StatusCode::OK, "{b}");
    }
}

#[tokio::test]
async fn another_communitys_file_is_not_found() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let f = save(&t.db, &c, &photo(20, 20), true).await;
        let state = state(&t.db);

        let theirs = app(&state, &other, Viewer::default());
        for variant in Variant::ALL {
            assert_eq!(get(&theirs, &f.path(variant), None).await.status(), StatusCode::NOT_FOUND, "{b}");
        }
        let ours = app(&state, &c, Viewer::default());
        assert_eq!(get(&ours, &f.path(Variant::Original), None).await.status(), StatusCode::OK, "{b}");
        for path in [
            format!("/media/{}/huge", f.id),
            "/media/not-a-uuid/thumb".to_owned(),
            format!("/media/{}/thumb", hromada_kernel::new_id()),
        ] {
            assert_eq!(get(&ours, &path, None).await.status(), StatusCode::NOT_FOUND, "{b}: {path}");
        }
    }
}

#[tokio::test]
async fn a_file_not_shown_yet_is_only_for_its_uploader_and_officials() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let person = |name: &str| NewUser {
            email: Some(format!("{name}@example.com")),
            password_hash: None,
            full_name: name.into(),
            settlement_id: None,
            birth_year: None,
            lang: "uk".into(),
        };
        let author = users::create(&t.db, c.id, person("author"), t0()).await.expect("author");
        let stranger = users::create(&t.db, c.id, person("stranger"), t0()).await.expect("stranger");
        let moderator = users::create(&t.db, c.id, person("moderator"), t0()).await.expect("moderator");
        let new = NewFile {
            owner: "petitions",
            object_id: Some("1"),
            purpose: "image",
            public: false,
            created_by: Some(author.id),
        };
        let f = store::save(&t.db, c.id, &photo(20, 20), &new, t0()).await.expect("save");
        let state = state(&t.db);
        let as_viewer = |user: Option<hromada_db::core::users::User>, roles: Vec<Role>| {
            app(&state, &c, Viewer { user, roles, ..Viewer::default() })
        };
        let path = f.path(Variant::Original);

        assert_eq!(get(&as_viewer(None, vec![]), &path, None).await.status(), StatusCode::NOT_FOUND, "{b}");
        assert_eq!(get(&as_viewer(Some(stranger), vec![]), &path, None).await.status(), StatusCode::NOT_FOUND, "{b}");
        let own = get(&as_viewer(Some(author), vec![]), &path, None).await;
        assert_eq!(own.status(), StatusCode::OK, "{b}");
        assert_eq!(header_of(&own, header::CACHE_CONTROL), "private, max-age=31536000, immutable", "{b}");
        let official = get(&as_viewer(Some(moderator), vec![Role::Moderator]), &path, None).await;
        assert_eq!(official.status(), StatusCode::OK, "{b}");

        store::set_public(&t.db, c.id, "petitions", "1", true).await.expect("publish");
        assert_eq!(get(&as_viewer(None, vec![]), &path, None).await.status(), StatusCode::OK, "{b}");
    }
}
