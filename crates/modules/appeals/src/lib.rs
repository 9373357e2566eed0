//! Citizens' appeals (звернення громадян) under the Law of Ukraine "On citizens' appeals": what
//! an appeal must contain, its registration number, the deadlines the law sets and the steps
//! of its handling.
//!
//! [`domain`] holds the rules, pure and tested; storage, pages, the officials' inbox and Open
//! City reports build on it.

pub mod domain;
