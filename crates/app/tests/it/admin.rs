use hromada_db::core::audit;
use hromada_db::core::{departments, roles, settlements, users};
use hromada_kernel::Role;
use hromada_testkit::spawn_apps;

#[tokio::test]
async fn an_admin_grants_and_revokes_roles_and_the_audit_log_shows_it() {
    for app in spawn_apps().await {
        let c = app.community("roles").await;
        app.user(&c, "admin@roles.test", &[Role::Admin]).await;
        let resident = app.user(&c, "resident@roles.test", &[]).await;
        let b = app.signed_in(&c, "admin@roles.test").await;
        let page = format!("/c/roles/admin/users/{}", resident.id);
        let grant = b.submit(&page, &format!("{page}/roles"), &[("role", "moderator")]).await;
        assert_eq!(grant.status, 303, "[{}] {}", app.backend, grant.text());
        assert_eq!(roles::roles_of(&app.db, c.id, resident.id).await.unwrap(), vec![Role::Moderator]);
        let revoke = b.submit(&page, &format!("{page}/roles/moderator/revoke"), &[]).await;
        assert_eq!(revoke.status, 303);
        assert!(roles::roles_of(&app.db, c.id, resident.id).await.unwrap().is_empty());

        let log = b.get("/c/roles/admin/audit?action=role.").await;
        assert_eq!(log.status, 200);
        let text = log.text();
        assert!(text.contains("role.grant") && text.contains("role.revoke"), "[{}] {text}", app.backend);
        let entries = audit::list(&app.db, Some(c.id), &audit::Filter::default(), 10, 0).await.unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].action, "role.revoke", "newest first");
        assert_eq!(entries[0].target_id.as_deref(), Some(resident.id.to_string().as_str()));
        let filtered = b.get("/c/roles/admin/audit?action=department.").await;
        assert!(!filtered.text().contains("role.grant"));
    }
}

#[tokio::test]
async fn permissions_are_enforced_per_role() {
    for app in spawn_apps().await {
        let c = app.community("perms").await;
        app.user(&c, "moderator@perms.test", &[Role::Moderator]).await;
        let resident = app.user(&c, "resident@perms.test", &[]).await;
        let moderator = app.signed_in(&c, "moderator@perms.test").await;
        assert_eq!(moderator.get("/c/perms/admin").await.status, 200);
        assert_eq!(moderator.get("/c/perms/admin/audit").await.status, 200);
        assert_eq!(moderator.get("/c/perms/admin/settings").await.status, 403);
        let page = format!("/c/perms/admin/users/{}", resident.id);
        // A moderator can't even open the form, and a forged post is refused too.
        assert_eq!(moderator.get(&page).await.status, 403);
        let forged = moderator.submit("/c/perms/admin", &format!("{page}/roles"), &[("role", "admin")]).await;
        assert_eq!(forged.status, 403, "[{}]", app.backend);
        assert!(roles::roles_of(&app.db, c.id, resident.id).await.unwrap().is_empty());

        let resident_browser = app.signed_in(&c, "resident@perms.test").await;
        let refused = resident_browser.get("/c/perms/admin").await;
        assert_eq!(refused.status, 403);
        assert!(refused.text().contains("Доступ заборонено"));
    }
}

#[tokio::test]
async fn cnap_staff_verify_a_person_once_per_community() {
    for app in spawn_apps().await {
        let c = app.community("cnap").await;
        app.user(&c, "cnap@cnap.test", &[Role::CnapStaff]).await;
        let first = app.user(&c, "first@cnap.test", &[]).await;
        let second = app.user(&c, "second@cnap.test", &[]).await;
        let b = app.signed_in(&c, "cnap@cnap.test").await;
        let page = format!("/c/cnap/admin/users/{}", first.id);
        let unchecked = b.submit(&page, &format!("{page}/verify"), &[("tax_number", "1234567890")]).await;
        assert_eq!(unchecked.status, 422, "the document must be checked");
        let bad =
            b.submit(&page, &format!("{page}/verify"), &[("tax_number", "12345"), ("document_checked", "yes")]).await;
        assert!(bad.text().contains("10 цифр"));
        let ok = b
            .submit(&page, &format!("{page}/verify"), &[("tax_number", "12345 67890"), ("document_checked", "yes")])
            .await;
        assert_eq!(ok.status, 303, "[{}] {}", app.backend, ok.text());
        let stored = users::by_id(&app.db, c.id, first.id).await.unwrap().unwrap();
        assert_eq!(stored.identity_level(), hromada_kernel::IdentityLevel::Eid);
        assert!(stored.verified_in_person_at.is_some());
        let key = stored.person_key.unwrap();
        assert!(!String::from_utf8_lossy(&key).contains("1234567890"), "the tax number is not stored");

        let page2 = format!("/c/cnap/admin/users/{}", second.id);
        let dup = b
            .submit(&page2, &format!("{page2}/verify"), &[("tax_number", "1234567890"), ("document_checked", "yes")])
            .await;
        assert_eq!(dup.status, 422);
        assert!(dup.text().contains("вже має підтверджений обліковий запис"), "[{}] {}", app.backend, dup.text());
        let audit = audit::list(
            &app.db,
            Some(c.id),
            &audit::Filter { action_prefix: Some("user.verify".into()), ..Default::default() },
            10,
            0,
        )
        .await
        .unwrap();
        assert_eq!(audit.len(), 1);
    }
}

#[tokio::test]
async fn departments_settlements_and_settings_are_managed_in_admin() {
    for app in spawn_apps().await {
        let c = app.community("manage").await;
        let admin = app.user(&c, "admin@manage.test", &[Role::Admin]).await;
        let b = app.signed_in(&c, "admin@manage.test").await;

        let dept = b
            .submit(
                "/c/manage/admin/departments",
                "/c/manage/admin/departments",
                &[("name_uk", "Відділ освіти"), ("email", "osvita@manage.test")],
            )
            .await;
        assert_eq!(dept.status, 303);
        let list = departments::list(&app.db, c.id).await.unwrap();
        assert_eq!(list.len(), 1);
        let assign = format!("/c/manage/admin/users/{}/departments", admin.id);
        let d_id = list[0].id.to_string();
        assert_eq!(
            b.submit("/c/manage/admin/departments", &assign, &[("department_id", d_id.as_str())]).await.status,
            303
        );
        assert_eq!(departments::departments_of(&app.db, c.id, admin.id).await.unwrap(), vec![list[0].id]);
        let empty = b.submit("/c/manage/admin/departments", "/c/manage/admin/departments", &[("name_uk", "")]).await;
        assert_eq!(empty.status, 422);

        let place = b
            .submit(
                "/c/manage/admin/settlements",
                "/c/manage/admin/settlements",
                &[("name_uk", "Нове Село"), ("kind", "village")],
            )
            .await;
        assert_eq!(place.status, 303);
        assert_eq!(settlements::list(&app.db, c.id).await.unwrap().len(), 3);
        let bad_kind = b
            .submit(
                "/c/manage/admin/settlements",
                "/c/manage/admin/settlements",
                &[("name_uk", "X Y"), ("kind", "planet")],
            )
            .await;
        assert_eq!(bad_kind.status, 422);

        let saved = b
            .submit(
                "/c/manage/admin/settings",
                "/c/manage/admin/settings",
                &[
                    ("name_uk", "Нова назва громади"),
                    ("phone", "+380 44 000 00 00"),
                    ("coat_of_arms", "javascript:alert(1)"),
                ],
            )
            .await;
        assert_eq!(saved.status, 422, "only https or local images for the arms");
        let saved = b
            .submit(
                "/c/manage/admin/settings",
                "/c/manage/admin/settings",
                &[("name_uk", "Нова назва громади"), ("phone", "+380 44 000 00 00")],
            )
            .await;
        assert_eq!(saved.status, 303);
        let about = b.get("/c/manage/about").await;
        assert!(about.text().contains("+380 44 000 00 00"), "[{}]", app.backend);
        assert!(b.get("/c/manage/").await.text().contains("Нова назва громади"));
        let dash = b.get("/c/manage/admin").await;
        assert_eq!(dash.status, 200);
        assert!(dash.text().contains("контактів на сторінці"), "modules add their figures to the dashboard");
    }
}

#[tokio::test]
async fn the_about_module_is_edited_in_its_admin_section() {
    for app in spawn_apps().await {
        let c = app.community("aboutadm").await;
        app.user(&c, "editor@about.test", &[Role::Editor]).await;
        let b = app.signed_in(&c, "editor@about.test").await;
        let added = b
            .submit(
                "/c/aboutadm/admin/about",
                "/c/aboutadm/admin/about",
                &[("name", "Марія Староста"), ("role_uk", "Староста"), ("phone", "+380 50 000 00 01")],
            )
            .await;
        assert_eq!(added.status, 303, "[{}] {}", app.backend, added.text());
        let intro = b
            .submit(
                "/c/aboutadm/admin/about",
                "/c/aboutadm/admin/about/intro",
                &[("intro_uk", "**Ласкаво просимо** <script>alert(1)</script>"), ("intro_en", "")],
            )
            .await;
        assert_eq!(intro.status, 303);
        let page = b.get("/c/aboutadm/about").await;
        assert!(page.text().contains("Марія Староста"));
        assert!(page.body.contains("<strong>Ласкаво просимо</strong>"));
        assert!(!page.body.contains("<script>alert"), "markdown is sanitised");
        let api: serde_json::Value =
            reqwest::get(app.url("/c/aboutadm/api/v1/about/contacts")).await.unwrap().json().await.unwrap();
        assert_eq!(api[0]["name"], "Марія Староста");
    }
}
