//! The demo seeds two communities with an account per role, and seeding again changes nothing.

use hromada_db::core::{communities, operators, roles, users};
use hromada_db::testing::TestDb;
use hromada_kernel::SystemClock;
use std::sync::Arc;

#[tokio::test]
async fn the_demo_is_seeded_once_with_every_role() {
    let modules = hromada_app::modules();
    let migrations = hromada_app::all_migrations(&modules);
    for t in TestDb::each(&migrations).await {
        hromada_app::demo::seed(&t.db, Arc::new(SystemClock), &modules).await.unwrap();
        let main = communities::by_slug(&t.db, hromada_app::demo::MAIN).await.unwrap().expect("main community");
        let second = communities::by_slug(&t.db, hromada_app::demo::SECOND).await.unwrap().expect("second community");
        assert_eq!(main.name_uk, "Сєвєродонецька міська територіальна громада");
        let staff = roles::staff(&t.db, main.id).await.unwrap();
        let held: std::collections::BTreeSet<&str> = staff.iter().map(|s| s.role.as_str()).collect();
        for role in hromada_kernel::Role::ALL {
            assert!(held.contains(role.code()), "[{}] no demo account for {}", t.backend_name(), role.code());
        }
        let (users_main, users_second) =
            (users::count(&t.db, main.id).await.unwrap(), users::count(&t.db, second.id).await.unwrap());
        assert!(users_second >= 2);
        assert_eq!(operators::count(&t.db).await.unwrap(), 1);

        hromada_app::demo::seed(&t.db, Arc::new(SystemClock), &modules).await.unwrap();
        assert_eq!(communities::list(&t.db).await.unwrap().len(), 2, "[{}]", t.backend_name());
        assert_eq!(users::count(&t.db, main.id).await.unwrap(), users_main);
        assert_eq!(users::count(&t.db, second.id).await.unwrap(), users_second);
        assert_eq!(hromada_about::store::list(&t.db, main.id).await.unwrap().len(), 4, "module seeds run once");
        // The participatory budget: last year's edition being carried out, this year's voting.
        let contests = hromada_budget::store::contests(&t.db, main.id).await.unwrap();
        assert_eq!(contests.len(), 2, "[{}]", t.backend_name());
        let today = hromada_kernel::clock::kyiv_time(chrono::Utc::now()).date();
        let phases: Vec<_> = contests.iter().map(|c| c.phase_at(today)).collect();
        use hromada_budget::domain::Phase;
        assert_eq!(phases, vec![Phase::Voting, Phase::Implementation], "[{}]", t.backend_name());
        assert!(contests.iter().all(|c| c.ballot_count > 0), "[{}]", t.backend_name());
        let past = &contests[1];
        let winners = hromada_budget::store::projects(&t.db, main.id, past.id, &["admitted"]).await.unwrap();
        assert!(winners.iter().any(|p| p.progress_status == "done"), "[{}]", t.backend_name());
    }
}
