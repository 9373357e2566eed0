use crate::{community, each, t0, user};
use hromada_db::core::{departments, roles};
use hromada_kernel::Role;

#[tokio::test]
async fn grant_is_idempotent_and_revoke_removes() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let u = user(&t.db, c.id, "a@example.com", "А").await;

        assert!(roles::grant(&t.db, c.id, u.id, Role::Editor, t0()).await.expect("grant"), "{b}");
        assert!(
            !roles::grant(&t.db, c.id, u.id, Role::Editor, t0()).await.expect("grant again"),
            "{b}: the second grant reports nothing new"
        );
        assert!(roles::grant(&t.db, c.id, u.id, Role::Admin, t0()).await.expect("grant"), "{b}");
        let mut held = roles::roles_of(&t.db, c.id, u.id).await.expect("roles_of");
        held.sort();
        assert_eq!(held, [Role::Admin, Role::Editor], "{b}: each role once");
        assert!(
            roles::roles_of(&t.db, other.id, u.id).await.expect("roles_of").is_empty(),
            "{b}: roles belong to one community"
        );

        assert!(roles::revoke(&t.db, c.id, u.id, Role::Editor).await.expect("revoke"), "{b}");
        assert!(
            !roles::revoke(&t.db, c.id, u.id, Role::Editor).await.expect("revoke again"),
            "{b}: revoking a role not held reports nothing"
        );
        assert_eq!(roles::roles_of(&t.db, c.id, u.id).await.expect("roles_of"), [Role::Admin], "{b}");
    }
}

#[tokio::test]
async fn staff_lists_every_role_by_person() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let bohdan = user(&t.db, c.id, "bohdan@example.com", "Богдан").await;
        let anna = user(&t.db, c.id, "anna@example.com", "Анна").await;
        user(&t.db, c.id, "resident@example.com", "Мешканець").await;
        let stranger = user(&t.db, other.id, "x@example.com", "Аарон").await;
        roles::grant(&t.db, c.id, bohdan.id, Role::Moderator, t0()).await.expect("grant");
        roles::grant(&t.db, c.id, anna.id, Role::Editor, t0()).await.expect("grant");
        roles::grant(&t.db, c.id, anna.id, Role::Admin, t0()).await.expect("grant");
        roles::grant(&t.db, other.id, stranger.id, Role::Admin, t0()).await.expect("grant");

        let staff = roles::staff(&t.db, c.id).await.expect("staff");
        let rows: Vec<(&str, &str)> = staff.iter().map(|s| (s.full_name.as_str(), s.role.as_str())).collect();
        assert_eq!(
            rows,
            [("Анна", "admin"), ("Анна", "editor"), ("Богдан", "moderator")],
            "{b}: by name, then role; residents and other communities left out"
        );
        assert_eq!(staff[0].user_id, anna.id, "{b}");
        assert_eq!(staff[0].email.as_deref(), Some("anna@example.com"), "{b}");
    }
}

#[tokio::test]
async fn departments_and_their_officers() {
    for t in each().await {
        let b = t.backend_name();
        let c = community(&t.db, "bucha").await;
        let other = community(&t.db, "irpin").await;
        let olha = user(&t.db, c.id, "olha@example.com", "Ольга").await;
        let ivan = user(&t.db, c.id, "ivan@example.com", "Іван").await;

        let housing = departments::create(&t.db, c.id, "Відділ ЖКГ", Some("Housing"), Some("zhkg@bucha.gov.ua"), t0())
            .await
            .expect("create");
        let social = departments::create(&t.db, c.id, "Відділ соцзахисту", None, None, t0()).await.expect("create");
        departments::create(&t.db, other.id, "Інша громада", None, None, t0()).await.expect("create");

        let list = departments::list(&t.db, c.id).await.expect("list");
        let names: Vec<&str> = list.iter().map(|d| d.name_uk.as_str()).collect();
        assert_eq!(names, ["Відділ ЖКГ", "Відділ соцзахисту"], "{b}: this community, by name");
        assert_eq!(list[0].name_en.as_deref(), Some("Housing"), "{b}");
        assert_eq!(list[0].email.as_deref(), Some("zhkg@bucha.gov.ua"), "{b}");

        departments::add_officer(&t.db, c.id, housing, olha.id).await.expect("add");
        departments::add_officer(&t.db, c.id, housing, olha.id).await.expect("adding twice is fine");
        departments::add_officer(&t.db, c.id, social, olha.id).await.expect("add");
        departments::add_officer(&t.db, c.id, social, ivan.id).await.expect("add");

        let mut of_olha = departments::departments_of(&t.db, c.id, olha.id).await.expect("of");
        of_olha.sort();
        let mut expected = vec![housing, social];
        expected.sort();
        assert_eq!(of_olha, expected, "{b}: both departments, once each");
        assert_eq!(departments::officers(&t.db, c.id).await.expect("officers").len(), 3, "{b}");

        departments::remove_officer(&t.db, c.id, social, olha.id).await.expect("remove");
        assert_eq!(departments::departments_of(&t.db, c.id, olha.id).await.expect("of"), [housing], "{b}");

        // Deleting a department takes its officer assignments with it.
        assert!(!departments::delete(&t.db, other.id, housing).await.expect("delete"), "{b}");
        assert!(departments::delete(&t.db, c.id, housing).await.expect("delete"), "{b}");
        assert!(
            departments::departments_of(&t.db, c.id, olha.id).await.expect("of").is_empty(),
            "{b}: the officer lost the deleted department"
        );
        let officers = departments::officers(&t.db, c.id).await.expect("officers");
        let rows: Vec<_> = officers.iter().map(|o| (o.department_id, o.user_id)).collect();
        assert_eq!(rows, [(social, ivan.id)], "{b}");
        assert_eq!(officers[0].full_name, "Іван", "{b}");
        assert_eq!(crate::count(&t.db, "SELECT COUNT(*) FROM department_officers").await, 1, "{b}: no orphan rows");
        assert_eq!(departments::list(&t.db, c.id).await.expect("list").len(), 1, "{b}");
    }
}
