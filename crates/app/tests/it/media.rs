//! Uploaded files are served at `/media/{id}/{variant}` of the community that owns them only.

use hromada_media::store::{self, NewFile};
use hromada_media::{Accept, Limits, Variant};
use hromada_testkit::spawn_apps;

#[tokio::test]
async fn a_file_is_served_by_its_own_community_only() {
    for app in spawn_apps().await {
        let b = app.backend;
        let alpha = app.community("alpha").await;
        app.community("beta").await;
        let pdf = b"%PDF-1.4\ntrailer << >>\n%%EOF\n";
        let doc = hromada_media::process::process(pdf, "Рішення.pdf", "", Accept::Documents, &Limits::default())
            .expect("process");
        let new =
            NewFile { owner: "petitions", object_id: Some("1"), purpose: "answer", public: true, created_by: None };
        let file = store::save(&app.db, alpha.id, &doc, &new, app.now()).await.expect("save");
        let path = file.path(Variant::Original);

        let browser = app.browser();
        let own = browser.get(&format!("/c/alpha{path}")).await;
        assert_eq!(own.status, 200, "[{b}]");
        assert_eq!(own.header("content-type").as_deref(), Some("application/pdf"), "[{b}]");
        assert_eq!(own.header("x-content-type-options").as_deref(), Some("nosniff"), "[{b}]");
        assert!(own.header("content-disposition").unwrap_or_default().starts_with("attachment;"), "[{b}]");
        assert_eq!(own.header("etag"), Some(format!("\"{}\"", file.sha256)), "[{b}]");
        assert_eq!(own.body.as_bytes(), pdf, "[{b}]");

        let theirs = browser.get(&format!("/c/beta{path}")).await;
        assert_eq!(theirs.status, 404, "[{b}]");
    }
}
