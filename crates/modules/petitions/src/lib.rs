//! E-petitions to the local council (Law of Ukraine "On citizens' appeals", art. 23-1).
//!
//! This crate grows in steps: the rules of the domain ([`domain`], pure and tested) and their
//! storage with the group-commit signature writer ([`store`]) come first; pages, the API and
//! the module manifest follow.

pub mod domain;
pub mod store;

use hromada_db::{Migration, migration};

/// The key under which this module keeps its statute settings and tables.
pub const KEY: &str = "petitions";

pub fn migrations() -> Vec<Migration> {
    vec![migration!(KEY, 1, "0001_petitions")]
}
