//! Property tests: the stores against a plain in-memory model.

use crate::{community, t0, user};
use hromada_db::core::roles;
use hromada_db::migrate;
use hromada_db::testing::TestDb;
use hromada_kernel::Role;
use proptest::prelude::*;
use std::collections::{BTreeSet, HashSet};

#[derive(Debug, Clone, Copy)]
enum Op {
    Grant(usize, Role),
    Revoke(usize, Role),
}

fn op() -> impl Strategy<Value = Op> {
    (any::<bool>(), 0..2usize, proptest::sample::select(Role::ALL.to_vec()))
        .prop_map(|(grant, who, role)| if grant { Op::Grant(who, role) } else { Op::Revoke(who, role) })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn roles_follow_a_set_model(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let t = TestDb::sqlite(&migrate::core_migrations()).await;
            let c = community(&t.db, "bucha").await;
            let other = community(&t.db, "irpin").await;
            let people = [
                user(&t.db, c.id, "a@example.com", "А").await.id,
                user(&t.db, c.id, "b@example.com", "Б").await.id,
            ];
            // Someone with the same roles elsewhere, who must never be affected.
            let bystander = user(&t.db, other.id, "a@example.com", "А").await.id;
            for role in Role::ALL {
                roles::grant(&t.db, other.id, bystander, role, t0()).await.expect("grant");
            }

            let mut model: HashSet<(usize, Role)> = HashSet::new();
            for (step, op) in ops.iter().enumerate() {
                match *op {
                    Op::Grant(who, role) => {
                        let new = roles::grant(&t.db, c.id, people[who], role, t0()).await.expect("grant");
                        prop_assert_eq!(new, model.insert((who, role)), "step {}: {:?}", step, op);
                    }
                    Op::Revoke(who, role) => {
                        let gone = roles::revoke(&t.db, c.id, people[who], role).await.expect("revoke");
                        prop_assert_eq!(gone, model.remove(&(who, role)), "step {}: {:?}", step, op);
                    }
                }
                for (who, id) in people.iter().enumerate() {
                    let held: BTreeSet<Role> =
                        roles::roles_of(&t.db, c.id, *id).await.expect("roles_of").into_iter().collect();
                    let expected: BTreeSet<Role> =
                        model.iter().filter(|(w, _)| *w == who).map(|(_, r)| *r).collect();
                    prop_assert_eq!(held, expected, "step {}: person {}", step, who);
                }
            }
            let bystander_roles = roles::roles_of(&t.db, other.id, bystander).await.expect("roles_of");
            prop_assert_eq!(bystander_roles.len(), Role::ALL.len());
            let staff = roles::staff(&t.db, c.id).await.expect("staff");
            prop_assert_eq!(staff.len(), model.len());
            Ok(())
        })?;
    }
}
