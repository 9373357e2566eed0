//! No page or API call of one community reads or changes another's data.

use hromada_db::core::{roles, users};
use hromada_kernel::Role;
use hromada_testkit::{PASSWORD, spawn_apps};

#[tokio::test]
async fn one_communitys_session_token_and_ids_mean_nothing_in_another() {
    for app in spawn_apps().await {
        let a = app.community("alpha").await;
        let b_c = app.community("beta").await;
        app.user(&a, "admin@alpha.test", &[Role::Admin]).await;
        let beta_resident = app.user(&b_c, "resident@beta.test", &[]).await;
        let beta_admin = app.user(&b_c, "admin@beta.test", &[Role::Admin]).await;

        let browser = app.signed_in(&a, "admin@alpha.test").await;
        // The session of alpha does not sign in to beta (same host, other path).
        let beta_account = browser.get("/c/beta/account").await;
        assert_eq!(beta_account.status, 303, "[{}]", app.backend);
        assert_eq!(browser.get("/c/beta/admin").await.status, 303);
        // Alpha's admin cannot open or change beta's accounts by id.
        let foreign = format!("/c/alpha/admin/users/{}", beta_resident.id);
        assert_eq!(browser.get(&foreign).await.status, 404, "[{}]", app.backend);
        let grant = format!("/c/alpha/admin/users/{}/roles", beta_resident.id);
        let reply = browser.submit("/c/alpha/admin/users", &grant, &[("role", "admin")]).await;
        assert_eq!(reply.status, 404, "[{}]", app.backend);
        assert!(roles::roles_of(&app.db, b_c.id, beta_resident.id).await.unwrap().is_empty());
        // Beta's accounts do not show in alpha's user list.
        let list = browser.get("/c/alpha/admin/users").await;
        assert!(!list.text().contains("resident@beta.test"));
        // The same e-mail cannot sign in across communities: accounts are per community.
        let other = app.browser();
        assert_eq!(other.login("alpha", "resident@beta.test", PASSWORD).await.status, 422);

        // An API token of beta is not accepted by alpha.
        let beta_browser = app.signed_in(&b_c, "admin@beta.test").await;
        let created = beta_browser.submit("/c/beta/account/tokens", "/c/beta/account/tokens", &[("name", "t")]).await;
        let at = created.body.find("<code>").unwrap() + 6;
        let token = &created.body[at..at + created.body[at..].find("</code>").unwrap()];
        let http = reqwest::Client::new();
        assert_eq!(http.get(app.url("/c/beta/api/v1/me")).bearer_auth(token).send().await.unwrap().status(), 200);
        assert_eq!(http.get(app.url("/c/alpha/api/v1/me")).bearer_auth(token).send().await.unwrap().status(), 401);
        // Public API answers show only the community asked for.
        let info: serde_json::Value =
            http.get(app.url("/c/alpha/api/v1/community")).send().await.unwrap().json().await.unwrap();
        assert_eq!(info["slug"], "alpha");
        assert!(users::by_id(&app.db, a.id, beta_admin.id).await.unwrap().is_none(), "stores scope by community");
    }
}
