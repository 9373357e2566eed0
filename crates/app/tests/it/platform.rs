use hromada_db::core::communities;
use hromada_testkit::{PASSWORD, spawn_apps};

#[tokio::test]
async fn an_operator_creates_a_community_maps_a_host_and_switches_it_off() {
    for app in spawn_apps().await {
        app.operator("op@platform.test").await;
        let b = app.browser();
        assert_eq!(b.get("/platform").await.status, 303, "strangers are sent to sign in");
        let wrong = b
            .submit(
                "/platform/login",
                "/platform/login",
                &[("email", "op@platform.test"), ("password", "nope nope nope")],
            )
            .await;
        assert_eq!(wrong.status, 422);
        let ok = b
            .submit("/platform/login", "/platform/login", &[("email", "op@platform.test"), ("password", PASSWORD)])
            .await;
        assert_eq!(ok.status, 303, "[{}] {}", app.backend, ok.text());

        let bad = b.submit("/platform", "/platform/communities", &[("slug", "Bad Slug"), ("name_uk", "Х")]).await;
        assert_eq!(bad.status, 422);
        assert!(bad.text().contains("Лише латинські малі літери"));
        let created = b
            .submit(
                "/platform",
                "/platform/communities",
                &[("slug", "nova"), ("name_uk", "Нова громада"), ("name_en", "New community")],
            )
            .await;
        assert_eq!(created.status, 303, "[{}] {}", app.backend, created.text());
        let c = communities::by_slug(&app.db, "nova").await.unwrap().expect("created");
        let dup = b.submit("/platform", "/platform/communities", &[("slug", "nova"), ("name_uk", "Ще одна")]).await;
        assert!(dup.text().contains("вже зайнята"));

        let page = format!("/platform/communities/{}", c.id);
        let host = b.submit(&page, &format!("{page}/hosts"), &[("host", "nova.test"), ("primary", "yes")]).await;
        assert_eq!(host.status, 303);
        let home = b.get_with("/", &[("host", "nova.test")]).await;
        assert!(home.text().contains("Нова громада"), "[{}]", app.backend);
        let bad_host = b.submit(&page, &format!("{page}/hosts"), &[("host", "not a host")]).await;
        assert_eq!(bad_host.status, 422);

        let off = b.submit(&page, &format!("{page}/enabled"), &[("enabled", "false")]).await;
        assert_eq!(off.status, 303);
        assert_eq!(app.browser().get_with("/", &[("host", "nova.test")]).await.status, 503);
        let log = b.get(&page).await.text();
        assert!(log.contains("community.disable") && log.contains("community.create"), "[{}] {log}", app.backend);

        let out = b.submit("/platform", "/platform/logout", &[]).await;
        assert_eq!(out.status, 303);
        assert_eq!(b.get("/platform").await.status, 303);
    }
}

#[tokio::test]
async fn a_community_session_is_not_an_operator_session() {
    for app in spawn_apps().await {
        let c = app.community("plain").await;
        app.user(&c, "admin@plain.test", &[hromada_kernel::Role::Admin]).await;
        let b = app.signed_in(&c, "admin@plain.test").await;
        assert_eq!(b.get("/platform").await.status, 303, "[{}]", app.backend);
    }
}
