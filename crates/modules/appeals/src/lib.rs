//! Citizens' appeals (звернення громадян) under the Law of Ukraine "On citizens' appeals": what
//! an appeal must contain, its registration number, the deadlines the law sets and the steps
//! of its handling.
//!
//! [`domain`] holds the rules, pure and tested, and [`store`] keeps appeals with their numbers,
//! dates and timeline; pages, the officials' inbox and Open City reports build on them.

pub mod domain;
pub mod store;

use hromada_db::{Migration, migration};

/// The key under which this module keeps its statute settings and tables.
pub const KEY: &str = "appeals";

pub fn migrations() -> Vec<Migration> {
    vec![migration!(KEY, 1, "0001_appeals")]
}
