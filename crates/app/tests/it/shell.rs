use hromada_db::core::{communities, users};
use hromada_testkit::{Options, PASSWORD, spawn_app, spawn_apps, spawn_with};

#[tokio::test]
async fn a_form_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    for app in spawn_apps().await {
        let c = app.community("csrf").await;
        let b = app.browser();
        b.get("/c/csrf/register").await; // receives the CSRF cookie
        let fields = [
            ("full_name", "Без Токена"),
            ("email", "nocsrf@example.org"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ];
        let missing = b.post_raw("/c/csrf/register", &fields).await;
        assert_eq!(missing.status, 403, "[{}]", app.backend);
        assert!(missing.text().contains("Форму не прийнято"), "{}", missing.text());
        let mut forged = fields.to_vec();
        forged.push(("_csrf", "0123456789abcdef0123456789abcdef01234567"));
        assert_eq!(b.post_raw("/c/csrf/register", &forged).await.status, 403);
        // A fresh client with no cookie at all.
        let stranger = app.browser();
        assert_eq!(stranger.post_raw("/c/csrf/register", &fields).await.status, 403);
        assert_eq!(users::count(&app.db, c.id).await.unwrap(), 0, "[{}] nothing was created", app.backend);
        // The same form with its token goes through.
        assert_eq!(b.submit("/c/csrf/register", "/c/csrf/register", &fields).await.status, 303);
    }
}

#[tokio::test]
async fn an_oversized_body_gets_413() {
    let app = spawn_with(Options { body_limit: Some(16 * 1024), ..Default::default() }).await.unwrap();
    app.community("big").await;
    let b = app.browser();
    let huge = "x".repeat(64 * 1024);
    let reply = b.post_raw("/c/big/register", &[("full_name", &huge)]).await;
    assert_eq!(reply.status, 413);
    assert!(reply.text().contains("Запит завеликий"), "{}", reply.text());
}

#[tokio::test]
async fn pages_carry_security_headers_and_errors_are_pages_in_the_readers_language() {
    let app = spawn_app().await;
    app.community("errors").await;
    let b = app.browser();
    let home = b.get("/c/errors/").await;
    assert_eq!(home.status, 200);
    let csp = home.header("content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(home.header("x-content-type-options").as_deref(), Some("nosniff"));
    assert!(home.header("referrer-policy").is_some());
    assert!(home.header("x-request-id").is_some());
    assert!(home.body.contains("<html lang=\"uk\">"));
    assert!(home.body.contains("class=\"skip-link\" href=\"#main\""));

    let missing = b.get("/c/errors/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Сторінку не знайдено"));
    let english = b.get_with("/c/errors/no-such-page", &[("accept-language", "en-GB,en;q=0.9")]).await;
    // The cookie-less default follows Accept-Language... but this browser has no language cookie yet.
    assert!(english.text().contains("Page not found"), "{}", english.text());
    let json = b.get_with("/c/errors/no-such-page", &[("accept", "application/json")]).await;
    assert_eq!(json.json()["error"], "not-found");

    // Staff pages ask strangers to sign in, and residents are refused.
    let admin = b.get("/c/errors/admin").await;
    assert_eq!(admin.status, 303);
    assert_eq!(admin.location().as_deref(), Some("/c/errors/login?next=%2Fc%2Ferrors%2Fadmin"));
}

#[tokio::test]
async fn the_language_switch_remembers_the_choice() {
    let app = spawn_app().await;
    app.community("lang").await;
    let b = app.browser();
    let switch = b.get("/c/lang/lang/en?next=/c/lang/about").await;
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location().as_deref(), Some("/c/lang/about"));
    let about = b.get("/c/lang/about").await;
    assert!(about.body.contains("<html lang=\"en\">"));
    assert!(about.text().contains("About the community"));
    // An address elsewhere is not followed.
    let evil = b.get("/c/lang/lang/uk?next=//evil.example").await;
    assert_eq!(evil.location().as_deref(), Some("/c/lang/"));
}

#[tokio::test]
async fn hosts_route_to_communities_aliases_redirect_and_unknown_hosts_see_the_platform() {
    for app in spawn_apps().await {
        let c = app.community("hosted").await;
        communities::set_primary_host(&app.db, c.id, "hromada.test").await.unwrap();
        communities::add_alias_host(&app.db, c.id, "www.hromada.test").await.unwrap();
        let b = app.browser();
        let home = b.get_with("/", &[("host", "hromada.test")]).await;
        assert_eq!(home.status, 200);
        assert!(home.text().contains("Громада hosted"), "[{}]", app.backend);
        assert!(
            home.body.contains("href=\"/about\"") || home.body.contains("href=\"&#x2f;about\""),
            "links have no /c/ prefix on a community's own host"
        );

        let port = app.addr.port();
        let alias = b.get_with("/about?x=1", &[("host", &format!("www.hromada.test:{port}"))]).await;
        assert_eq!(alias.status, 301);
        assert_eq!(alias.location(), Some(format!("http://hromada.test:{port}/about?x=1")));

        let unknown = b.get_with("/", &[("host", "unknown.example")]).await;
        assert_eq!(unknown.status, 200);
        assert!(unknown.text().contains("Громади на платформі"), "[{}]", app.backend);
        assert!(unknown.text().contains("Громада hosted"));
        assert_eq!(b.get("/c/no-such-community/").await.status, 404);
    }
}

#[tokio::test]
async fn a_disabled_community_shows_a_clear_page_and_no_data() {
    for app in spawn_apps().await {
        let c = app.community("off").await;
        app.user(&c, "resident@example.org", &[]).await;
        communities::set_enabled(&app.db, c.id, false).await.unwrap();
        let b = app.browser();
        for path in ["/c/off/", "/c/off/about", "/c/off/login", "/c/off/api/v1/community"] {
            let reply = b.get(path).await;
            assert_eq!(reply.status, 503, "[{}] {path}", app.backend);
            assert!(!reply.body.contains("вул. Тестова"), "no community data on {path}");
        }
        let page = b.get("/c/off/about").await;
        assert!(page.text().contains("Громада тимчасово недоступна"));
        assert_eq!(page.header("retry-after").as_deref(), Some("3600"));
        assert!(!b.get("/").await.text().contains("Громада off"), "the landing page hides it");
    }
}

#[tokio::test]
async fn static_assets_are_cached_and_infrastructure_endpoints_answer() {
    let app = spawn_app().await;
    let b = app.browser();
    let home = b.get("/").await;
    let at = home.body.find("app.css?v=").expect("a versioned stylesheet link");
    let version: String = home.body[at + 10..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    let css = b.get(&format!("/static/app.css?v={version}")).await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    let etag = css.header("etag").unwrap();
    let again = b.get_with("/static/app.css", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    let gz = b.get_with("/static/app.css", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(b.get("/static/nothing.css").await.status, 404);

    assert_eq!(b.get("/healthz").await.body, "ok");
    assert_eq!(b.get("/readyz").await.status, 200);
    let metrics = b.get("/metrics").await;
    assert!(metrics.body.contains("hromada_http_requests_total{status=\"2xx\"}"));
    assert!(metrics.body.contains("hromada_outbox_pending 0"));
}

#[tokio::test]
async fn every_translation_exists_in_both_languages() {
    let app = spawn_app().await;
    let missing = app.state.i18n.missing();
    assert!(missing.is_empty(), "keys missing in a language: {missing:?}");
}

#[tokio::test]
async fn the_openapi_document_and_swagger_ui_are_served() {
    let app = spawn_app().await;
    app.community("docs").await;
    let b = app.browser();
    let doc = b.get("/api/v1/openapi.json").await.json();
    for path in ["/api/v1/me", "/api/v1/community", "/api/v1/communities", "/api/v1/about/contacts"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    let ui = b.get("/api/docs/").await;
    assert_eq!(ui.status, 200);
    assert!(ui.body.contains("swagger"), "Swagger UI is served from the binary");
    let list = b.get("/api/v1/communities").await.json();
    assert_eq!(list[0]["slug"], "docs");
    let community = b.get("/c/docs/api/v1/community").await.json();
    assert_eq!(community["settlements"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_failure_of_ours_is_a_500_page_with_a_request_number_and_no_internals() {
    let app = spawn_app().await;
    app.community("broken").await;
    let b = app.browser();
    assert_eq!(b.get("/readyz").await.status, 200);
    app.db.close().await;
    let page = b.get("/c/broken/about").await;
    assert_eq!(page.status, 500);
    let text = page.text();
    assert!(text.contains("Сталася помилка"), "{text}");
    let id = page.header("x-request-id").unwrap();
    assert!(text.contains(&id), "the page quotes the request number {id}: {text}");
    assert!(!text.to_lowercase().contains("pool") && !text.contains("sqlx"), "no internals: {text}");
    let json = b.get_with("/c/broken/about", &[("accept", "application/json")]).await.json();
    assert_eq!(json["error"], "unexpected");
    assert!(json["request_id"].is_string());
    assert_eq!(b.get("/readyz").await.status, 503);
}
