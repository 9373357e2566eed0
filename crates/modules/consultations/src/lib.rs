//! Consultations with residents: surveys (every common question type, sections, conditions),
//! quick polls, and comments on draft decisions with the organiser's report.
//!
//! [`domain`] holds the rules — what a survey may contain, what makes a response valid, how
//! results are counted and how small groups are kept from identifying anyone. Storage and
//! pages build on it.

pub mod domain;
pub mod store;

use hromada_db::{Migration, migration};

/// The key under which this module keeps its statute settings and tables.
pub const KEY: &str = "consultations";

pub fn migrations() -> Vec<Migration> {
    vec![migration!(KEY, 1, "0001_surveys")]
}
